/**
 * A difference hash (dHash): the photo shrunk to 9×8 grey pixels, one bit per horizontal neighbour
 * pair. Re-encodings, resizes and light crops keep almost every bit; different scenes differ in about
 * half. It confirms what the CLIP cosine suggests: two photos of the same scene can be close in
 * meaning without being copies.
 */
import sharp from "sharp";

export async function differenceHash(image: Buffer | string): Promise<bigint> {
  const { data } = await sharp(image).greyscale().resize(9, 8, { fit: "fill" }).raw().toBuffer({ resolveWithObject: true });
  let hash = 0n;
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) {
      hash = (hash << 1n) | (data[y * 9 + x]! > data[y * 9 + x + 1]! ? 1n : 0n);
    }
  return hash;
}

export function hammingDistance(a: bigint, b: bigint): number {
  let x = a ^ b;
  let count = 0;
  while (x) {
    count += Number(x & 1n);
    x >>= 1n;
  }
  return count;
}
