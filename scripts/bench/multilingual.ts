/**
 * Section 6: multilingual retrieval. Text → image recall@1/5/10 on the same Flickr8k photos with
 * their English captions and their Chinese ones (Flickr8K-CN, written by native speakers), for each
 * text tower on each language, and for the app's routing (each caption to the tower lib/language
 * picks): CLIP's text tower on Chinese is the baseline the routing must beat. Then each tower's warm
 * query latency, q8 and fp32, on queries of its own language.
 *
 * On the real models when MODEL_DIR holds all three (IMAGE_MODEL's vision tower, TEXT_MODEL's text
 * tower, MULTILINGUAL_MODEL's export); otherwise on the generated test models of
 * fixtures/models/test.env, and the report says so: their recall is chance, which checks the harness.
 */
import fs from "node:fs";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import type { TextEmbedder } from "@/lib/embedding/types";
import { routeQuery } from "@/lib/language";
import { testModelEnv } from "@/lib/testing/test-models";
import { embedImageFiles, embedTextsInBatches } from "./embed-batches";
import { time } from "./measure";
import { captioned } from "./quality-data";
import { retrievalRecall } from "./quality-metrics";

const LANGUAGES = { en: "captions.json", zh: "captions-zh.json" } as const;

export interface MultilingualOptions {
  quick: boolean;
  log: (message: string) => void;
  /** Full-size random models (MODEL_DIR, IMAGE_MODEL, MULTILINGUAL_MODEL when generated) for latency when the real ones are absent. */
  fullSize?: Record<string, string>;
}

/** The configured models when their ONNX files are all in MODEL_DIR, else the test models. */
function models(): { env: Record<string, string>; weights: "real" | "test"; absent?: string[] } {
  const cfg = parseConfig(process.env).models;
  const has = (id: string, prefix: string) => {
    const dir = cfg.localDir && path.join(cfg.localDir, id, "onnx");
    return !!dir && fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.startsWith(prefix));
  };
  const wanted: [string | undefined, string][] = [
    [cfg.image.id, "vision_model"],
    [cfg.text.id, "text_model"],
    [cfg.multilingual?.id, "model"],
  ];
  const absent = [...new Set(wanted.filter(([id, prefix]) => !id || !has(id, prefix)).map(([id]) => id ?? "MULTILINGUAL_MODEL (off)"))];
  if (absent.length === 0) {
    return {
      weights: "real",
      env: { MODEL_DIR: cfg.localDir!, IMAGE_MODEL: cfg.image.id, TEXT_MODEL: cfg.text.id, MULTILINGUAL_MODEL: cfg.multilingual!.id },
    };
  }
  return { weights: "test", env: testModelEnv(), absent };
}

export async function multilingualRetrieval(options: MultilingualOptions) {
  const { env, weights, absent } = models();
  const photos = options.quick ? 300 : 1000;
  const sets = Object.fromEntries(Object.entries(LANGUAGES).map(([lang, file]) => [lang, captioned("flickr8k-1k", photos, file)]));
  const q8 = createServerEmbedders(parseConfig({ ...env, IMAGE_DTYPE: "fp32", TEXT_DTYPE: "q8" }));
  options.log(`multilingual retrieval (${weights} models): embedding ${photos} photos`);
  const images = await embedImageFiles(q8.image, sets.en!.images);
  const towers: Record<string, TextEmbedder> = { clip: q8.clipText, multilingual: q8.multilingualText!, routed: q8.text };
  const recall: Record<string, Record<string, unknown>> = {};
  const routedToMultilingual: Record<string, number> = {};
  for (const [lang, set] of Object.entries(sets)) {
    recall[lang] = {};
    for (const [tower, embedder] of Object.entries(towers)) {
      options.log(`multilingual retrieval: ${set.captions.length} ${lang} captions through ${tower}`);
      recall[lang][tower] = retrievalRecall(images, await embedTextsInBatches(embedder, set.captions), set.imageOfCaption).textToImage;
    }
    const routed = set.captions.filter((c) => routeQuery(c).tower === "multilingual").length;
    routedToMultilingual[lang] = Math.round((routed / set.captions.length) * 1000) / 10;
  }
  return {
    weights,
    ...(absent ? { absent } : {}),
    models: { image: env.IMAGE_MODEL, clip: q8.clipText.textModelId, multilingual: q8.multilingualText!.textModelId },
    photos,
    captionsPerLanguage: sets.en!.captions.length,
    routedToMultilingual,
    recall,
    ...(await latencyOn(weights === "real" ? env : { ...env, ...options.fullSize }, sets.en!.captions, sets.zh!.captions, options)),
  };
}

/** Latency, with the models it was measured on. */
async function latencyOn(env: Record<string, string>, english: string[], chinese: string[], options: MultilingualOptions) {
  return {
    latency: await latency(env, english, chinese, options),
    latencyModels: { clip: env.TEXT_MODEL ?? env.IMAGE_MODEL, multilingual: env.MULTILINGUAL_MODEL },
  };
}

/** Warm p50 of one query at a time through each tower, on queries of its own language. */
async function latency(env: Record<string, string>, english: string[], chinese: string[], options: MultilingualOptions) {
  const runs = options.quick ? 30 : 100;
  const out: Record<string, Record<string, unknown>> = {};
  for (const dtype of ["q8", "fp32"]) {
    const embedders = createServerEmbedders(parseConfig({ ...env, TEXT_DTYPE: dtype }));
    out[dtype] = {
      clip: await time(runs, (i) => embedders.clipText.embedTexts([english[Math.abs(i) % english.length]!])),
      multilingual: await time(runs, (i) => embedders.multilingualText!.embedTexts([chinese[Math.abs(i) % chinese.length]!])),
    };
  }
  options.log("multilingual retrieval: latency measured");
  return out;
}

export type MultilingualResult = Awaited<ReturnType<typeof multilingualRetrieval>>;
