/**
 * CLIP encoders on the server: transformers.js on onnxruntime-node. Each model loads once per
 * process (the promise is shared, so concurrent first requests wait for the same load).
 */
import {
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  RawImage,
  type ProgressCallback,
  type Tensor,
} from "@huggingface/transformers";
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import type { EmbeddingSpace, ImageEmbedder, RgbImage, TextEmbedder } from "@/lib/embedding/types";
import { l2normalize } from "@/lib/vector";
import { DownloadTracker, type DownloadProgress } from "./download-progress";
import { configureModelSource, sessionOptions } from "./environment";
import { FETCH_MODELS, modelUnavailable, type ModelRecipe } from "./unavailable";

/** CLIP ViT-B/32 and the text encoders trained into its space produce 512 dims. */
export const CLIP_DIMS = 512;

/** One L2-normalized vector per row of a [count, dims] tensor. */
export function rows(tensor: Tensor): Float32Array[] {
  const [count = 0, dims = 0] = tensor.dims;
  const data = tensor.data as Float32Array;
  return Array.from({ length: count }, (_, i) => l2normalize(data.subarray(i * dims, (i + 1) * dims)));
}

export type LoadState =
  { state: "not loaded" | "ready" } | { state: "loading"; download?: DownloadProgress } | { state: "failed"; error: string };

/**
 * Loads a model on first use and shares the load; a failed load is retried on the next use. The
 * loader gets a progress callback for transformers.js, so a download shows in loadState (and in
 * the CLIs' bars); a model that cannot be had fails with one model_unavailable error naming the
 * ways out (or, for a model that loads but is unusable, of the wrong size say, the loader's reason).
 */
export function lazily<T>(
  what: string,
  models: Config["models"],
  loader: (progress: ProgressCallback) => Promise<T>,
  recipe: ModelRecipe = FETCH_MODELS,
): { get: () => Promise<T>; state: () => LoadState } {
  let loading: Promise<T> | undefined;
  let tracker: DownloadTracker | undefined;
  let current: LoadState = { state: "not loaded" };
  const load = async (downloads: DownloadTracker) => {
    configureModelSource(models);
    try {
      return await loader(downloads.callback);
    } catch (error) {
      throw error instanceof AppError && error.code === "model_unavailable" ? error : modelUnavailable(what, models, error, recipe);
    } finally {
      downloads.finish();
    }
  };
  const get = () => {
    if (!loading) {
      current = { state: "loading" };
      tracker = new DownloadTracker(what, models.localDir ? undefined : models.cacheDir);
      loading = load(tracker).then(
        (value) => {
          current = { state: "ready" };
          return value;
        },
        (error: Error) => {
          current = { state: "failed", error: error.message };
          loading = undefined;
          throw error;
        },
      );
    }
    return loading;
  };
  const state = (): LoadState => {
    const download = tracker?.snapshot();
    return current.state === "loading" && download && download.files > 0 ? { state: "loading", download } : current;
  };
  return { get, state };
}

export class ClipImageEmbedder implements ImageEmbedder {
  private readonly loader: ReturnType<
    typeof lazily<{
      processor: Awaited<ReturnType<typeof AutoProcessor.from_pretrained>>;
      model: Awaited<ReturnType<typeof CLIPVisionModelWithProjection.from_pretrained>>;
    }>
  >;

  constructor(
    readonly space: EmbeddingSpace,
    private readonly models: Config["models"],
  ) {
    const { id, dtype } = models.image;
    this.loader = lazily(`image model ${id}`, models, async (progress_callback) => ({
      processor: await AutoProcessor.from_pretrained(id, { progress_callback }),
      model: await CLIPVisionModelWithProjection.from_pretrained(id, {
        ...sessionOptions(models, dtype, { spin: false }),
        progress_callback,
      }),
    }));
  }

  async embedImages(images: RgbImage[]): Promise<Float32Array[]> {
    const { processor, model } = await this.loader.get();
    const out: Float32Array[] = [];
    for (let start = 0; start < images.length; start += this.models.batchSize) {
      const batch = images.slice(start, start + this.models.batchSize).map((im) => new RawImage(im.data, im.width, im.height, 3));
      const inputs = await processor(batch);
      const { image_embeds } = (await model(inputs)) as { image_embeds: Tensor };
      out.push(...rows(image_embeds));
    }
    return out;
  }

  /** Resolves once the model is loaded, or rejects with why it cannot be. */
  async warm(): Promise<void> {
    await this.loader.get();
  }

  loadState(): LoadState {
    return this.loader.state();
  }
}

export class ClipTextEmbedder implements TextEmbedder {
  readonly textModelId: string;
  private readonly loader: ReturnType<typeof lazily<(texts: string[]) => Promise<Tensor>>>;

  constructor(
    readonly space: EmbeddingSpace,
    models: Config["models"],
  ) {
    const { id, dtype } = models.text;
    this.textModelId = id;
    this.loader = lazily(`text model ${id}`, models, async (progress_callback) => {
      const tokenizer = await AutoTokenizer.from_pretrained(id, { progress_callback });
      const model = await CLIPTextModelWithProjection.from_pretrained(id, { ...sessionOptions(models, dtype), progress_callback });
      return async (texts) => {
        const inputs = tokenizer(texts, { padding: true, truncation: true });
        return ((await model(inputs)) as { text_embeds: Tensor }).text_embeds;
      };
    });
  }

  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const encode = await this.loader.get();
    return rows(await encode(texts));
  }

  async warm(): Promise<void> {
    await this.loader.get();
  }

  loadState(): LoadState {
    return this.loader.state();
  }
}
