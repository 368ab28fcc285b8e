/**
 * The multilingual text encoder on the server: a sentence-transformers model (DistilBERT, mean
 * pooling, Dense into CLIP's space) exported by `npm run models:export`, whose ONNX graph ends in
 * `sentence_embedding`, the projected vector. Ports whose graph stops at the transformer
 * (`last_hidden_state`) are mean-pooled here; if they lack the projection their vectors have the
 * transformer's size (768), and the model is refused, naming both sizes, instead of searching a
 * 512-dim index with vectors from another space.
 */
import { AutoModel, AutoTokenizer, mean_pooling, type Tensor } from "@huggingface/transformers";
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { encodeBatch } from "@/lib/embedding/tokenize";
import type { EmbeddingSpace, TextEmbedder } from "@/lib/embedding/types";
import { lazily, rows, type LoadState } from "./clip";
import { sessionOptions } from "./environment";
import type { ModelRecipe } from "./unavailable";

type ModelOutputs = Record<string, Tensor | undefined>;

/** Its published files lack the projection into CLIP's space: it is exported, not fetched. */
const MULTILINGUAL_RECIPE: ModelRecipe = {
  command: "MODEL_DIR=<folder> npm run models:export",
  note: "Or turn this text model off with MULTILINGUAL_MODEL=off (CLIP's text tower then answers every query).",
};

/**
 * The sentence vector from a model's outputs: the exported projection (`sentence_embedding`, or a
 * port's one [batch, dims] output under another name), else mean pooling of the token states.
 */
export function sentenceEmbeddings(outputs: ModelOutputs, attentionMask: Tensor): Tensor {
  if (outputs.sentence_embedding) return outputs.sentence_embedding;
  const pooled = Object.values(outputs).filter((t): t is Tensor => t?.dims.length === 2);
  if (pooled.length === 1) return pooled[0]!;
  const tokens = outputs.last_hidden_state ?? outputs.token_embeddings;
  if (!tokens) throw new Error(`the model's outputs (${Object.keys(outputs).join(", ")}) hold no sentence_embedding or last_hidden_state`);
  return mean_pooling(tokens, attentionMask);
}

export class MultilingualTextEmbedder implements TextEmbedder {
  readonly textModelId: string;
  private readonly loader: ReturnType<typeof lazily<(texts: string[]) => Promise<Float32Array[]>>>;

  constructor(
    readonly space: EmbeddingSpace,
    models: Config["models"],
    model: { id: string; dtype: string },
  ) {
    this.textModelId = model.id;
    this.loader = lazily(
      `multilingual text model ${model.id}`,
      models,
      async (progress_callback) => {
        const tokenizer = await AutoTokenizer.from_pretrained(model.id, { progress_callback });
        const encoder = await AutoModel.from_pretrained(model.id, { ...sessionOptions(models, model.dtype), progress_callback });
        const encode = async (texts: string[]) => {
          // Cut at the tokenizer's model_max_length: the export sets it to the model's max_seq_length (128).
          const inputs = encodeBatch(tokenizer, texts);
          return rows(sentenceEmbeddings((await encoder(inputs)) as ModelOutputs, inputs.attention_mask));
        };
        const [probe] = await encode(["probe"]);
        if (probe?.length !== space.dims) throw sizeMismatch(model.id, probe?.length ?? 0, space);
        return encode;
      },
      MULTILINGUAL_RECIPE,
    );
  }

  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const encode = await this.loader.get();
    return encode(texts);
  }

  async warm(): Promise<void> {
    await this.loader.get();
  }

  loadState(): LoadState {
    return this.loader.state();
  }
}

function sizeMismatch(id: string, dims: number, space: EmbeddingSpace): AppError {
  return new AppError(
    "model_mismatch",
    `text model ${id} produces ${dims}-dim vectors, but the image space (${space.modelId}) has ${space.dims}: ` +
      "its ONNX export lacks the Dense projection into CLIP's space; export the model with npm run models:export",
  );
}
