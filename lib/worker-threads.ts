/**
 * What the app's worker threads share (the text encoder's, lib/embedding/server/text-thread.ts, and
 * the embedded store's rescoring, lib/store/embedded/rescore-thread.ts). Next's server bundles a
 * worker's module only where it sees `new Worker(new URL("./x.worker.ts", import.meta.url))` written
 * out, so each owner keeps that expression for the server and calls `workerFromSource` otherwise:
 * from source (tsx: the tests and CLIs) a worker does not inherit tsx's loader, so it registers it
 * before importing the module.
 */
import { Worker } from "node:worker_threads";

/** Whether this process is Next's server, whose bundles set NEXT_RUNTIME and hold the workers' modules. */
export const bundledWorkers = (): boolean => Boolean(process.env.NEXT_RUNTIME);

/** A worker running the TypeScript module at `entry` through tsx, with `workerData`. */
export function workerFromSource(entry: URL, workerData: object): Worker {
  return new Worker(REGISTER_TSX_THEN_IMPORT, { eval: true, workerData: { ...workerData, entry: entry.href } });
}

/**
 * Hands a worker's replies to `receive` and its death (an error, or an exit of any kind) to
 * `failed`, and lets the process exit while the worker idles (the owner refs it while it waits).
 */
export function superviseWorker<Reply>(
  worker: Worker,
  name: string,
  receive: (reply: Reply) => void,
  failed: (worker: Worker, error: Error) => void,
): Worker {
  worker.on("message", receive);
  worker.on("error", (error) => failed(worker, error));
  worker.on("exit", (code) => failed(worker, new Error(`the ${name} exited with code ${code}`)));
  worker.unref();
  return worker;
}

const REGISTER_TSX_THEN_IMPORT = `
const { workerData } = require("node:worker_threads");
import("tsx/esm/api").then(({ register }) => { register(); return import(workerData.entry); });
`;
