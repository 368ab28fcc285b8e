/**
 * The worker side of RescoreThread (rescore-thread.ts): a read-only connection to the library's
 * SQLite file, answering each request with the rescoring's read (rescore.ts), as the main thread
 * would run it.
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { scoreByRowids, VECTORS_BY_ROWIDS } from "./rescore";
import type { RescoreReply, RescoreRequest } from "./rescore-thread";

const port = parentPort!;
const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
// A writer's checkpoint can hold the WAL briefly; wait for it rather than fail the read.
db.pragma("busy_timeout = 1000");
const vectorsByRowids = db.prepare(VECTORS_BY_ROWIDS);
port.postMessage({ ready: true } satisfies RescoreReply);

port.on("message", ({ id, rowids, query }: RescoreRequest) => {
  try {
    const { ids, scores } = scoreByRowids(vectorsByRowids, rowids, query);
    port.postMessage({ id, ids, scores } satisfies RescoreReply, [scores.buffer]);
  } catch (error) {
    port.postMessage({ id, error: String(error) } satisfies RescoreReply);
  }
});
