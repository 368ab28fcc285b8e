/**
 * The worker side of ThreadedTextTower (text-thread.ts): one text tower, built from the settings in
 * workerData, answering embed and warm requests by id, and reporting its load state (with any
 * download's progress) whenever it may have changed, since the main thread reads it synchronously,
 * and each download's progress, for the main thread's listeners.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ServerTower } from "@/lib/embedding/routed";
import { AppError } from "@/lib/errors";
import { ClipTextEmbedder } from "./clip";
import { onModelDownload } from "./download-progress";
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

// A download's progress goes to the main thread's listeners (the CLIs' bars) and its load state.
onModelDownload((download) => {
  port.postMessage({ download } satisfies WorkerReply);
  reportState();
});

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
