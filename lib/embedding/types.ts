/**
 * Embedders turn text or images into L2-normalized vectors in one shared space. The space is named
 * by the image model (text encoders such as the multilingual CLIP text model are trained into the
 * image model's space), and every vector the app stores or compares is tagged with it.
 */

export interface EmbeddingSpace {
  /** The image model whose space the vectors live in; recorded in the index. */
  modelId: string;
  dims: number;
}

/** An image ready for a vision encoder: RGB, 8 bits per channel, orientation already applied. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface TextEmbedder {
  readonly space: EmbeddingSpace;
  /** The text model's own id; a browser-computed vector names it. */
  readonly textModelId: string;
  embedTexts(texts: string[]): Promise<Float32Array[]>;
}

/** How a query's text tower is chosen: forced (`textModel`: "clip", "multilingual" or a model id) or by its stated language. */
export interface QueryChoice {
  textModel?: string;
  lang?: string;
}

export interface QueryEmbedding {
  vector: Float32Array;
  /** The model that embedded the query. */
  textModel: string;
  /** The query's language as detected or stated (ISO 639-1, "und" when unknown). */
  language: string;
}

/** Embeds search queries, choosing the text model per query, and says which model it used. */
export interface QueryEmbedder extends TextEmbedder {
  /** Every text model whose vectors the library accepts (a browser-made vector must name one). */
  readonly textModelIds: string[];
  embedQuery(text: string, choice?: QueryChoice): Promise<QueryEmbedding>;
}

export interface ImageEmbedder {
  readonly space: EmbeddingSpace;
  embedImages(images: RgbImage[]): Promise<Float32Array[]>;
}
