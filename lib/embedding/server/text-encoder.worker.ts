/**
 * The worker side of ThreadedTextTower (text-thread.ts): one text tower, built from the settings in
 * workerData, answering embed and warm requests by id, and reporting its load state (with any
 * download's progress) whenever it may have changed, since the main thread reads it synchronously.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ServerTower } from "@/lib/embedding/routed";
import { AppError } from "@/lib/errors";
import { ClipTextEmbedder } from "./clip";
import { MultilingualTextEmbedder } from "./multilingual";
import type { TowerSpec, WorkerReply, WorkerRequest } from "./text-thread";

const spec = workerData as TowerSpec;
const tower: ServerTower =
  spec.kind === "clip" ? new ClipTextEmbedder(spec.space, spec.models) : new MultilingualTextEmbedder(spec.space, spec.models, spec.model!);
const port = parentPort!;

let reported = "";
function reportState(): void {
  const state = tower.loadState();
  const json = JSON.stringify(state);
  if (json === reported) return;
  reported = json;
  port.postMessage({ state } satisfies WorkerReply);
}

// While a model loads (a download can take minutes), its progress is sent four times a second.
const progress = setInterval(() => {
  if (tower.loadState().state === "loading") reportState();
}, 250);
progress.unref();

port.on("message", (request: WorkerRequest) => {
  // Each vector is copied into a buffer of its own, so it can be transferred rather than cloned.
  const work =
    request.op === "warm" ? tower.warm().then(() => []) : tower.embedTexts(request.texts).then((vectors) => vectors.map((v) => v.slice()));
  reportState();
  work.then(
    (vectors) => {
      reportState();
      port.postMessage(
        { id: request.id, vectors } satisfies WorkerReply,
        vectors.map((v) => v.buffer as ArrayBuffer),
      );
    },
    (error: Error) => {
      reportState();
      const code = error instanceof AppError ? error.code : undefined; // model_unavailable stays a 503 with its advice
      port.postMessage({ id: request.id, error: { message: error.message, code } } satisfies WorkerReply);
    },
  );
});
