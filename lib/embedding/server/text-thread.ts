/**
 * A text tower run in a worker thread. onnxruntime-node runs a session synchronously on the thread
 * that calls it, so on the server's main thread every query embedding stopped the event loop for
 * its whole run: no request could be parsed, no photo row read, no response written meanwhile. On
 * two cores under 8 clients that made the main thread the bottleneck of text search
 * (docs/benchmarks.md, "Text queries under load"). In a worker the encoder runs beside the
 * request path instead of in it.
 *
 * The worker builds the same tower from the same settings (text-encoder.worker.ts), so loading,
 * downloads and their progress, and model_unavailable errors behave as in-process; load state is
 * pushed by the worker and read here synchronously. The thread starts on first use and does not
 * keep the process alive while idle. If it cannot start at all (no worker support where the app
 * runs), the tower runs in-process, as before, after one warning.
 */
import { Worker } from "node:worker_threads";
import type { Config } from "@/lib/config";
import type { ServerTower } from "@/lib/embedding/routed";
import type { EmbeddingSpace } from "@/lib/embedding/types";
import { AppError, type ErrorCode } from "@/lib/errors";
import { log } from "@/lib/log";
import { bundledWorkers, superviseWorker, workerFromSource } from "@/lib/worker-threads";
import type { LoadState } from "./clip";
import { announceModelDownload, type DownloadProgress } from "./download-progress";

/** What the worker needs to build its tower: plain data, cloned into the thread. */
export interface TowerSpec {
  kind: "clip" | "multilingual";
  space: EmbeddingSpace;
  models: Config["models"];
  /** The multilingual model's id and precision (kind multilingual). */
  model?: { id: string; dtype: string };
}

export type WorkerRequest = { id: number; op: "embed"; texts: string[] } | { id: number; op: "warm" };

export type WorkerReply =
  | { id: number; vectors: Float32Array[] }
  | { id: number; error: { message: string; code?: string } }
  | { state: LoadState }
  | { download: DownloadProgress };

type Message = { op: "warm" } | { op: "embed"; texts: string[] };

interface Pending {
  message: Message;
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: unknown) => void;
}

export class ThreadedTextTower implements ServerTower {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private state: LoadState = { state: "not loaded" };
  /** Set when no worker could start: the in-process tower answers from then on. */
  private inProcess = false;

  /** `fallback` is the same tower built in this thread; it loads only if the worker cannot start. */
  constructor(
    private readonly spec: TowerSpec,
    private readonly fallback: ServerTower,
  ) {}

  get space(): EmbeddingSpace {
    return this.spec.space;
  }

  get textModelId(): string {
    return this.fallback.textModelId;
  }

  loadState(): LoadState {
    return this.inProcess ? this.fallback.loadState() : this.state;
  }

  async warm(): Promise<void> {
    if (this.inProcess) return this.fallback.warm();
    await this.request({ op: "warm" });
  }

  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    if (this.inProcess) return this.fallback.embedTexts(texts);
    return this.request({ op: "embed", texts });
  }

  private request(message: Message): Promise<Float32Array[]> {
    const worker = this.started();
    if (!worker) return this.inThisThread(message);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { message, resolve, reject });
      // A CLI waiting for a vector must not exit for want of anything else to wait for.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, ...message } satisfies WorkerRequest);
    });
  }

  private inThisThread(message: Message): Promise<Float32Array[]> {
    return message.op === "warm" ? this.fallback.warm().then(() => []) : this.fallback.embedTexts(message.texts);
  }

  private started(): Worker | undefined {
    if (this.worker) return this.worker;
    try {
      // Next's server has the worker's module bundled, and this URL rewritten to it (lib/worker-threads.ts).
      const worker = bundledWorkers()
        ? new Worker(new URL("./text-encoder.worker.ts", import.meta.url), { workerData: this.spec })
        : workerFromSource(new URL("./text-encoder.worker.ts", import.meta.url), this.spec);
      this.worker = superviseWorker<WorkerReply>(
        worker,
        "text encoder thread",
        (reply) => this.receive(reply),
        (dead, error) => this.failed(dead, error),
      );
      return worker;
    } catch (error) {
      this.runInProcess(error);
      return undefined;
    }
  }

  private receive(reply: WorkerReply): void {
    if ("state" in reply) {
      this.state = reply.state;
      return;
    }
    if ("download" in reply) {
      announceModelDownload(reply.download);
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.settled(reply.id);
    if ("error" in reply) waiting.reject(asError(reply.error));
    else waiting.resolve(reply.vectors);
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  /**
   * The thread died. One that never reported anything could not start (its module did not load):
   * workers cannot run here, so its requests and all later ones run in this thread. One that had
   * worked crashed: its requests fail, and the next request starts a new thread.
   */
  private failed(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const neverStarted = this.state.state === "not loaded";
    if (neverStarted) this.runInProcess(error);
    else log("error", "text encoder thread stopped; the next query starts a new one", { model: this.textModelId, error: error.message });
    for (const [id, waiting] of this.pending) {
      this.settled(id);
      if (neverStarted) this.inThisThread(waiting.message).then(waiting.resolve, waiting.reject);
      else waiting.reject(error);
    }
  }

  private runInProcess(error: unknown): void {
    if (this.inProcess) return;
    this.inProcess = true;
    log("warn", "text encoder thread could not start; query text is embedded on the main thread", {
      model: this.textModelId,
      error: (error as Error)?.message,
    });
  }
}

function asError({ message, code }: { message: string; code?: string }): Error {
  return code ? new AppError(code as ErrorCode, message) : new Error(message);
}
