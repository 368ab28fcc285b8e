/**
 * The rescoring's one read: candidates' fp32 vectors by SQLite rowid, each answered with the photo id
 * the rowid holds now and the vector's inner product with the query. The store runs it on the main
 * thread, or the rescoring thread runs it (rescore.worker.ts) on its own connection; either way the
 * caller compares the ids with the candidates it asked for, and reads by id those whose rowid holds
 * another photo or none (index.ts).
 */
import { dot, fromBuffer } from "@/lib/vector";

export const VECTORS_BY_ROWIDS = "SELECT rowid, id, vector FROM photos WHERE rowid IN (SELECT value FROM json_each(?))";

/** A prepared VECTORS_BY_ROWIDS statement (better-sqlite3), on whichever connection runs it. */
export interface VectorsByRowids {
  all(rowidsJson: string): unknown[];
}

/** Each rowid's photo id now (null: no such row, or an unknown rowid: NaN) and its score (NaN then). */
export interface RowidScores {
  ids: (string | null)[];
  scores: Float64Array<ArrayBuffer>;
}

export function scoreByRowids(statement: VectorsByRowids, rowids: Float64Array, query: Float32Array): RowidScores {
  const at = new Map<number, number>();
  rowids.forEach((rowid, i) => at.set(rowid, i));
  const ids = new Array<string | null>(rowids.length).fill(null);
  const scores = new Float64Array(rowids.length).fill(Number.NaN);
  for (const row of statement.all(JSON.stringify(Array.from(rowids))) as { rowid: number; id: string; vector: Buffer }[]) {
    const i = at.get(row.rowid);
    if (i === undefined) continue;
    ids[i] = row.id;
    scores[i] = dot(fromBuffer(row.vector), query);
  }
  return { ids, scores };
}
