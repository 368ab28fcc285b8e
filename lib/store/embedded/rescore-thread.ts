/**
 * The rescoring of a large library's searches in a worker thread. Every search reads a few hundred
 * candidates' fp32 vectors from SQLite and scores them (knn.ts): better-sqlite3 reads synchronously,
 * so on the main thread those reads stopped the event loop for a quarter of its time under 8
 * clients (docs/benchmarks.md, "Text queries under load"), while the second core waited. In a
 * worker, on a read-only connection of its own (WAL lets readers run beside the writer), they run
 * beside the request path.
 *
 * Rows are asked for by SQLite rowid and answered with the id each rowid holds now, so the caller
 * can tell a row another process deleted (absent) or replaced (another id) and read those by id.
 * If the thread cannot start, or dies, `score` answers undefined and the caller scores in its own
 * thread, as before; a thread that had worked is started again at the next search.
 */
import { Worker } from "node:worker_threads";
import { log } from "@/lib/log";
import { bundledWorkers, superviseWorker, workerFromSource } from "@/lib/worker-threads";
import type { RowidScores } from "./rescore";

export type RescoreRequest = { id: number; rowids: Float64Array; query: Float32Array };
export type RescoreReply = ({ id: number } & RowidScores) | { id: number; error: string } | { ready: true };

interface Pending {
  resolve: (scores: RowidScores | undefined) => void;
}

export class RescoreThread {
  private worker?: Worker;
  private ready = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Set when a thread never started: workers cannot run here, so none is tried again. */
  private unavailable = false;

  constructor(private readonly databaseFile: string) {}

  /** Scores of the rows with these rowids, or undefined when no thread can answer (score in-process). */
  score(rowids: Float64Array, query: Float32Array): Promise<RowidScores | undefined> {
    const worker = this.started();
    if (!worker) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, rowids, query } satisfies RescoreRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.answerAllInProcess();
    await worker?.terminate();
  }

  private started(): Worker | undefined {
    if (this.worker || this.unavailable) return this.worker;
    try {
      // Next's server has the worker's module bundled, and this URL rewritten to it (lib/worker-threads.ts).
      const workerData = { file: this.databaseFile };
      const worker = bundledWorkers()
        ? new Worker(new URL("./rescore.worker.ts", import.meta.url), { workerData })
        : workerFromSource(new URL("./rescore.worker.ts", import.meta.url), workerData);
      this.worker = superviseWorker<RescoreReply>(
        worker,
        "rescoring thread",
        (reply) => this.receive(reply),
        (dead, error) => this.failed(dead, error),
      );
      return worker;
    } catch (error) {
      this.giveUp(error);
      return undefined;
    }
  }

  private receive(reply: RescoreReply): void {
    if ("ready" in reply) {
      this.ready = true;
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.settled(reply.id);
    if ("error" in reply) {
      log("warn", "the rescoring thread could not read the library; scoring on the main thread", { error: reply.error });
      waiting.resolve(undefined);
    } else waiting.resolve({ ids: reply.ids, scores: reply.scores });
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  private failed(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (!this.ready) this.giveUp(error);
    else log("error", "the rescoring thread stopped; the next search starts a new one", { error: error.message });
    this.ready = false;
    this.answerAllInProcess();
  }

  /** Whatever was waiting is scored by the caller instead. */
  private answerAllInProcess(): void {
    for (const [id, waiting] of this.pending) {
      this.settled(id);
      waiting.resolve(undefined);
    }
  }

  private giveUp(error: unknown): void {
    if (this.unavailable) return;
    this.unavailable = true;
    log("warn", "the rescoring thread could not start; searches read their candidates on the main thread", {
      error: (error as Error)?.message,
    });
  }
}
