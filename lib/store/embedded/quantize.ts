/**
 * int8 scalar quantization of unit vectors, for the embedded store's in-memory scan. A stored
 * vector becomes round(x * 127 / STORED_RANGE), clipped to [-127, 127]: a quarter of the fp32 bytes.
 * One fixed scale for every stored vector keeps the integer dot product proportional to the
 * approximate score, so a plain int8 inner-product scan ranks correctly without per-row factors.
 * The scan only picks candidates: they are rescored exactly in fp32 (knn.ts).
 *
 * Why 0.5: a component of a 512-d unit vector is typically ~0.044 (1/sqrt(512)) and rarely above
 * 0.3; 0.5 leaves room for outlier dimensions while giving typical components ~11 levels a side.
 * Clipping a rare larger component only perturbs that photo's candidate score, never its final one.
 */
export const STORED_RANGE = 0.5;

/** Writes `vector` quantized with the shared stored scale into `out` at `offset`. */
export function quantizeStored(vector: Float32Array, out: Int8Array, offset: number): void {
  const scale = 127 / STORED_RANGE;
  for (let d = 0; d < vector.length; d++) out[offset + d] = clampInt8(vector[d]! * scale);
}

/**
 * A query quantized with its own scale (its largest component becomes ±127): the scale multiplies
 * every score alike, so the ranking is unchanged and the query keeps its full resolution.
 */
export function quantizeQuery(vector: Float32Array): Int8Array {
  let max = 0;
  for (const v of vector) max = Math.max(max, Math.abs(v));
  const out = new Int8Array(vector.length);
  if (max === 0) return out;
  const scale = 127 / max;
  for (let d = 0; d < vector.length; d++) out[d] = clampInt8(vector[d]! * scale);
  return out;
}

function clampInt8(value: number): number {
  return Math.max(-127, Math.min(127, Math.round(value)));
}
