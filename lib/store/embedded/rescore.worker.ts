/**
 * The worker side of RescoreThread (rescore-thread.ts): a read-only connection to the library's
 * SQLite file, answering each request with the photo id every asked rowid holds now and the inner
 * product of its fp32 vector with the query, computed exactly as the main thread would (knn.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { dot, fromBuffer } from "@/lib/vector";
import type { RescoreReply, RescoreRequest } from "./rescore-thread";

const port = parentPort!;
const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
// A writer's checkpoint can hold the WAL briefly; wait for it rather than fail the read.
db.pragma("busy_timeout = 1000");
const vectorsByRowids = db.prepare("SELECT rowid, id, vector FROM photos WHERE rowid IN (SELECT value FROM json_each(?))");
port.postMessage({ ready: true } satisfies RescoreReply);

port.on("message", ({ id, rowids, query }: RescoreRequest) => {
  try {
    const at = new Map<number, number>();
    rowids.forEach((rowid, i) => at.set(rowid, i));
    const ids: (string | null)[] = new Array<string | null>(rowids.length).fill(null);
    const scores = new Float64Array(rowids.length).fill(Number.NaN);
    const rows = vectorsByRowids.all(JSON.stringify(Array.from(rowids))) as { rowid: number; id: string; vector: Buffer }[];
    for (const row of rows) {
      const i = at.get(row.rowid);
      if (i === undefined) continue;
      ids[i] = row.id;
      scores[i] = dot(fromBuffer(row.vector), query);
    }
    port.postMessage({ id, ids, scores } satisfies RescoreReply, [scores.buffer]);
  } catch (error) {
    port.postMessage({ id, error: String(error) } satisfies RescoreReply);
  }
});
