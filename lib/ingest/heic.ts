/**
 * HEIC/HEIF (HEVC-coded, as iPhones shoot by default) decoded with heic-decode (libheif compiled to
 * WebAssembly): sharp's prebuilt libvips reads the HEIF container but has no HEVC decoder, for
 * licensing reasons. The decoded pixels are handed back as a lossless PNG, so the rest of the
 * pipeline (thumbnail, CLIP input) is the one every other format takes. libheif applies the
 * container's rotation and mirroring while decoding, so the result is upright.
 */
import sharp from "sharp";
import { AppError } from "@/lib/errors";

interface HeifImage {
  width: number;
  height: number;
  decode(): Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
}

type DecodeAll = (input: { buffer: Uint8Array }) => Promise<HeifImage[] & { dispose(): void }>;

let decoder: Promise<DecodeAll> | undefined;

function loadDecoder(): Promise<DecodeAll> {
  // Loaded on first use: the WebAssembly module is a few MB that most runs never need.
  decoder ??= import("heic-decode").then((module) => (module.default as { all: DecodeAll }).all);
  return decoder;
}

/** Whether sharp saw a HEIF container whose pictures it cannot decode itself. */
export function needsHeifDecoder(meta: { format?: string; compression?: string }): boolean {
  return meta.format === "heif" && meta.compression === "hevc";
}

/** The HEIF's primary picture as a PNG; refuses pictures over `maxPixels` before decoding them. */
export async function heifToPng(buffer: Buffer, maxPixels: number): Promise<Buffer> {
  const all = await loadDecoder();
  let images: Awaited<ReturnType<DecodeAll>>;
  try {
    images = await all({ buffer });
  } catch (error) {
    throw new AppError("invalid_image", `not a readable HEIC/HEIF image (${String((error as Error)?.message ?? error)})`, { cause: error });
  }
  try {
    const primary = images[0];
    if (!primary) throw new AppError("invalid_image", "the HEIF file holds no picture");
    if (primary.width * primary.height > maxPixels) {
      throw new AppError("too_large", `image is ${primary.width}x${primary.height}; the limit is ${maxPixels} pixels (MAX_IMAGE_PIXELS)`);
    }
    const { width, height, data } = await primary.decode();
    return await sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels: 4 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
  } finally {
    images.dispose();
  }
}
