/** Section 3, on the server: query embedding latency with the app's embedders, cold and warm. */
import fs from "node:fs";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import { decodeImage } from "@/lib/ingest/image";
import { COCO } from "@/lib/testing";
import { round, time } from "./measure";

const TEXTS = ["a mountain covered in snow", "a red bus on a city street", "two dogs playing on a beach", "一只猫", "people at a market"];

export async function serverQueryEmbedding(modelDir: string, modelId: string, runs: { text: number; image: number }) {
  const folder = path.join(COCO, "images/val2017");
  const decoded = await decodeImage(fs.readFileSync(path.join(folder, fs.readdirSync(folder)[0]!)), { maxPixels: 1e8, thumbnailSize: 64 });
  const results: Record<string, unknown> = {};
  for (const dtype of ["fp32", "q8"]) {
    const { clipText: text, image } = createServerEmbedders(
      parseConfig({ MODEL_DIR: modelDir, IMAGE_MODEL: modelId, TEXT_DTYPE: dtype, IMAGE_DTYPE: dtype }),
    );
    let start = performance.now();
    await text.embedTexts(["cold start"]);
    const textCold = performance.now() - start;
    const textWarm = await time(runs.text, (i) => text.embedTexts([`${TEXTS[Math.abs(i) % TEXTS.length]} ${i}`]));
    start = performance.now();
    await image.embedImages([decoded.embedInput]);
    const imageCold = performance.now() - start;
    const imageWarm = await time(runs.image, () => image.embedImages([decoded.embedInput]));
    results[dtype] = { text: { coldMs: round(textCold, 0), warm: textWarm }, image: { coldMs: round(imageCold, 0), warm: imageWarm } };
  }
  return results;
}
