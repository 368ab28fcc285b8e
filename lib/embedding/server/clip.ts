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
  type Tensor,
} from "@huggingface/transformers";
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import type { EmbeddingSpace, ImageEmbedder, RgbImage, TextEmbedder } from "@/lib/embedding/types";
import { l2normalize } from "@/lib/vector";
import { configureModelSource, sessionOptions } from "./environment";

/** CLIP ViT-B/32 and the text encoders trained into its space produce 512 dims. */
export const CLIP_DIMS = 512;

/** One L2-normalized vector per row of a [count, dims] tensor. */
export function rows(tensor: Tensor): Float32Array[] {
  const [count = 0, dims = 0] = tensor.dims;
  const data = tensor.data as Float32Array;
  return Array.from({ length: count }, (_, i) => l2normalize(data.subarray(i * dims, (i + 1) * dims)));
}

export async function load<T>(what: string, models: Config["models"], loader: () => Promise<T>): Promise<T> {
  try {
    return await loader();
  } catch (error) {
    const source = models.localDir ? `the folder ${models.localDir}` : (models.remoteHost ?? "the Hugging Face hub");
    throw new AppError("embedder_unavailable", `could not load ${what} from ${source}: ${(error as Error).message}`, { cause: error });
  }
}

export type LoadState = { state: "not loaded" | "loading" | "ready" } | { state: "failed"; error: string };

/** Loads on first use and shares the load; a failed load is retried on the next use. */
export function lazily<T>(loader: () => Promise<T>): { get: () => Promise<T>; state: () => LoadState } {
  let loading: Promise<T> | undefined;
  let current: LoadState = { state: "not loaded" };
  const get = () => {
    if (!loading) {
      current = { state: "loading" };
      loading = loader().then(
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
  return { get, state: () => current };
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
    this.loader = lazily(() =>
      load(`image model ${id}`, models, async () => {
        configureModelSource(models);
        return {
          processor: await AutoProcessor.from_pretrained(id),
          model: await CLIPVisionModelWithProjection.from_pretrained(id, sessionOptions(models, dtype)),
        };
      }),
    );
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
    this.loader = lazily(() =>
      load(`text model ${id}`, models, async () => {
        configureModelSource(models);
        const tokenizer = await AutoTokenizer.from_pretrained(id);
        const model = await CLIPTextModelWithProjection.from_pretrained(id, sessionOptions(models, dtype));
        return async (texts) => {
          const inputs = tokenizer(texts, { padding: true, truncation: true });
          return ((await model(inputs)) as { text_embeds: Tensor }).text_embeds;
        };
      }),
    );
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
