/** Photos and texts through the app's decode and embedders in batches, as ingest and search do: shared by the quality sections. */
import fs from "node:fs";
import type { ImageEmbedder, RgbImage, TextEmbedder } from "@/lib/embedding/types";
import { decodeImage } from "@/lib/ingest/image";

export async function embedImageFiles(image: Pick<ImageEmbedder, "embedImages">, files: string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < files.length; i += 32) {
    const decoded: RgbImage[] = [];
    for (const f of files.slice(i, i + 32))
      decoded.push((await decodeImage(fs.readFileSync(f), { maxPixels: 1e8, thumbnailSize: 32 })).embedInput);
    out.push(...(await image.embedImages(decoded)));
  }
  return out;
}

export async function embedTextsInBatches(embedder: Pick<TextEmbedder, "embedTexts">, texts: string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 64) out.push(...(await embedder.embedTexts(texts.slice(i, i + 64))));
  return out;
}
