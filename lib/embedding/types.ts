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

export interface ImageEmbedder {
  readonly space: EmbeddingSpace;
  embedImages(images: RgbImage[]): Promise<Float32Array[]>;
}
