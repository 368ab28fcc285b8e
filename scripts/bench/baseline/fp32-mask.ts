/** The additive filter mask of the fp32 baseline scan: 0 where the predicate holds, -Infinity elsewhere. */
import { BLOCK_COLUMNS, type VectorMatrix } from "./fp32-matrix";

export function buildMask(matrix: VectorMatrix, predicate: (row: number) => boolean): Float32Array {
  const mask = new Float32Array(matrix.columnBlocks().length * BLOCK_COLUMNS).fill(Number.NEGATIVE_INFINITY);
  for (let row = 0; row < matrix.size; row++) if (predicate(row)) mask[row] = 0;
  return mask;
}
