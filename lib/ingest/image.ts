/**
 * Decodes an image with sharp (libvips) and derives what ingest needs: upright dimensions, a WebP
 * thumbnail, and the 224-pixel RGB square the CLIP vision encoder sees. EXIF orientation is applied
 * before both, and a pixel limit stops decompression bombs before any pixels are allocated. A large
 * photo (a 12 MP camera JPEG) is decoded once, reduced while it loads, and both outputs are made
 * from that one small copy (`reducedOnce`).
 */
import sharp, { type Metadata, type OutputInfo, type Sharp, type SharpOptions } from "sharp";
import { AppError } from "@/lib/errors";
import type { RgbImage } from "@/lib/embedding/types";
import { heifToPng, needsHeifDecoder } from "./heic";

/** CLIP's input size: shortest side resized to 224, then centre-cropped, as its preprocessor does. */
const CLIP_INPUT = 224;

/**
 * The resize and crop of the reference CLIP preprocessor (Hugging Face's CLIPImageProcessor on
 * Pillow): the short side to exactly 224, the long side to floor(224 x long / short), bicubic, then a
 * crop at floor((side - 224) / 2). sharp's `fit: "cover"` rounds the long side and centres the crop
 * its own way, a pixel off for many sizes (input correlation 0.92 on some COCO photos), and its
 * enlargements sample a half pixel away from Pillow's. Extreme panoramas, whose resized long side
 * would be huge, are cropped the cheaper way, with `fit: "cover"`.
 */
function clipGeometry(width: number, height: number) {
  const short = Math.min(width, height);
  const resized = { width: Math.floor((CLIP_INPUT * width) / short), height: Math.floor((CLIP_INPUT * height) / short) };
  if (resized.width * resized.height > 16 * CLIP_INPUT * CLIP_INPUT) return undefined;
  const left = Math.floor((resized.width - CLIP_INPUT) / 2);
  const top = Math.floor((resized.height - CLIP_INPUT) / 2);
  return { resized, crop: { left, top, width: CLIP_INPUT, height: CLIP_INPUT }, enlarge: short < CLIP_INPUT };
}

type Pixels = { data: Buffer; info: OutputInfo };

const rgbPixels = (image: Sharp): Promise<Pixels> =>
  image.removeAlpha().toColourspace("srgb").raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });

async function clipPixels(upright: Sharp, width: number, height: number): Promise<Pixels> {
  const geometry = clipGeometry(width, height);
  if (!geometry)
    return rgbPixels(upright.resize({ width: CLIP_INPUT, height: CLIP_INPUT, fit: "cover", position: "centre", kernel: "cubic" }));
  const { resized, crop } = geometry;
  // A reducing cubic is antialiased, as Pillow's is when it shrinks.
  if (!geometry.enlarge) return rgbPixels(upright.resize({ ...resized, fit: "fill", kernel: "cubic" }).extract(crop));
  return cropRows(await enlargeLikePillow(upright, width, height, resized), crop);
}

/** The crop of an RGB buffer, row by row: cheaper than another sharp pipeline for 224 rows. */
function cropRows(pixels: Pixels, crop: { left: number; top: number; width: number; height: number }): Pixels {
  const stride = pixels.info.width * 3;
  const data = Buffer.alloc(crop.width * crop.height * 3);
  for (let y = 0; y < crop.height; y++) {
    const from = (crop.top + y) * stride + crop.left * 3;
    pixels.data.copy(data, y * crop.width * 3, from, from + crop.width * 3);
  }
  return { data, info: { ...pixels.info, width: crop.width, height: crop.height, size: data.length } };
}

/** Edge pixels copied this far out, so the interpolation at the borders reads the edge, as Pillow's does, not black. */
const PAD = 2;

/**
 * Enlarging, Pillow aligns pixel centres (out + 0.5 = scale x (in + 0.5)) and interpolates
 * Catmull-Rom; sharp's affine transform does the same with these offsets. Two passes, because sharp
 * orders one pipeline's operations itself (it would pad after the transform, and crop before it);
 * they are cheap, since only images under 224 pixels on their short side are enlarged. Measured
 * against Pillow: 0.1-0.2 of a level apart on average.
 */
async function enlargeLikePillow(upright: Sharp, width: number, height: number, to: { width: number; height: number }): Promise<Pixels> {
  const padded = await rgbPixels(upright.extend({ top: PAD, bottom: PAD, left: PAD, right: PAD, extendWith: "copy" }));
  const offset = 0.5 - PAD;
  return rgbPixels(
    raw(padded).affine(
      [
        [to.width / width, 0],
        [0, to.height / height],
      ],
      { idx: offset, idy: offset, odx: -0.5, ody: -0.5, interpolator: "bicubic" },
    ),
  );
}

const raw = (pixels: Pixels) => sharp(pixels.data, { raw: { width: pixels.info.width, height: pixels.info.height, channels: 3 } });

const MIME: Record<string, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  avif: "image/avif",
  heif: "image/avif",
  tiff: "image/tiff",
};

export interface DecodedImage {
  width: number;
  height: number;
  mime: string;
  thumbnail: Buffer;
  embedInput: RgbImage;
}

/** A DecodedImage whose thumbnail is still being encoded (decodeForEmbedding). */
export interface DecodingImage extends Omit<DecodedImage, "thumbnail"> {
  thumbnail: Promise<Buffer>;
}

export interface DecodeLimits {
  maxPixels: number;
  thumbnailSize: number;
}

function toThumbnail(upright: Sharp, size: number): Promise<Buffer> {
  return (
    upright
      .resize({ width: size, height: size, fit: "inside", withoutEnlargement: true })
      // Effort 0: 5.7 ms for a 480 px thumbnail against 9.4 at effort 2 and 17.7 at 4 (the default),
      // for files 21% and 25% larger (18.7 KiB against 15.4 and 14.9), no difference to see.
      .webp({ quality: 80, effort: 0 })
      .toBuffer()
  );
}

/**
 * A smaller rendition of a thumbnail (`size` on the long side, never larger than the thumbnail),
 * WebP as the thumbnail is. It is made once, on its first request, and then sent to every phone
 * that shows the photo: quality 70 at effort 2 made coco-mini's 320 px renditions a third smaller
 * than ingest's setting (15.2 → 10.2 KiB on average over 40 photos) for 24 ms of resizing and
 * encoding instead of 21. Effort 4 saved 4% more for half as much time again.
 */
export async function thumbnailRendition(thumbnail: Buffer, size: number): Promise<Buffer> {
  return await sharp(thumbnail)
    .resize({ width: size, height: size, fit: "inside", withoutEnlargement: true })
    .webp({ quality: 70, effort: 2 })
    .toBuffer();
}

/** A thumbnail alone, as ingest makes it (upright, WebP), for photos whose thumbnail is made on request. */
export async function thumbnailOf(buffer: Buffer, limits: DecodeLimits): Promise<Buffer> {
  try {
    return await toThumbnail(
      sharp(buffer, { limitInputPixels: limits.maxPixels, failOn: "error", pages: 1 }).rotate(),
      limits.thumbnailSize,
    );
  } catch (error) {
    if (/pixel limit/i.test(String((error as Error)?.message))) {
      throw new AppError("too_large", `image has more than ${limits.maxPixels} pixels (MAX_IMAGE_PIXELS)`, { cause: error });
    }
    throw new AppError("invalid_image", `could not decode the image (${shortReason(error)})`, { cause: error });
  }
}

/**
 * Both outputs reduce the picture by this much or more: then one decode feeds both. Smaller
 * pictures (a 640 px COCO photo) keep a pipeline each, straight from the file, as the reference
 * preprocessor resizes them, and cost little anyway.
 */
const SHARED_DECODE_MAX_SCALE = 0.25;

/**
 * The size of the one reduced copy both outputs are made from (the thumbnail's size or the encoder's
 * resize, whichever is larger, so neither is resampled twice more than needed), or undefined when
 * the picture is too small for one.
 */
interface SharedDecode {
  width: number;
  height: number;
  /** Cubic when the copy is the encoder's resize (as clipPixels resizes), Lanczos when it is the thumbnail (as toThumbnail does). */
  kernel: "cubic" | "lanczos3";
}

export function sharedDecodeSize(width: number, height: number, thumbnailSize: number): SharedDecode | undefined {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const thumbnailScale = thumbnailSize / long;
  const clipScale = CLIP_INPUT / short;
  if (Math.max(thumbnailScale, clipScale) > SHARED_DECODE_MAX_SCALE) return undefined;
  // The encoder's resize is floored as the reference preprocessor floors it (clipGeometry); the
  // thumbnail's is rounded as sharp's "inside" fit rounds it.
  if (clipScale >= thumbnailScale)
    return { ...(clipGeometry(width, height)?.resized ?? scaled(width, height, clipScale)), kernel: "cubic" };
  return { ...scaled(width, height, thumbnailScale), kernel: "lanczos3" };
}

const scaled = (width: number, height: number, scale: number) => ({
  width: Math.max(1, Math.round(width * scale)),
  height: Math.max(1, Math.round(height * scale)),
});

/** The description of an ICC profile (its "desc" tag, ICC v2 or v4), or undefined when it has none readable. */
export function iccDescription(icc: Buffer): string | undefined {
  if (icc.length < 132) return undefined;
  const tags = icc.readUInt32BE(128);
  for (let i = 0; i < tags && 144 + i * 12 <= icc.length; i++) {
    const entry = 132 + i * 12;
    if (icc.toString("latin1", entry, entry + 4) !== "desc") continue;
    const at = icc.readUInt32BE(entry + 4);
    if (at + 16 > icc.length) return undefined;
    const type = icc.toString("latin1", at, at + 4);
    if (type === "desc")
      return icc.toString("latin1", at + 12, Math.min(icc.length, at + 12 + icc.readUInt32BE(at + 8))).replace(/\0+$/, "");
    if (type !== "mluc" || icc.readUInt32BE(at + 8) === 0 || at + 28 > icc.length) return undefined;
    const length = icc.readUInt32BE(at + 20);
    const start = at + icc.readUInt32BE(at + 24);
    if (start + length > icc.length) return undefined;
    return Buffer.from(icc.subarray(start, start + length))
      .swap16()
      .toString("utf16le");
  }
  return undefined;
}

/**
 * Whether the thumbnail can be made from the file's values as they are: an 8-bit RGB or grey JPEG
 * with no ICC profile or an sRGB one (what cameras write), which colour management leaves as it is.
 */
function displayableAsIs(meta: Metadata): boolean {
  if (meta.format !== "jpeg" || (meta.space !== "srgb" && meta.space !== "b-w")) return false;
  return !meta.icc || /\bsRGB\b/i.test(iccDescription(meta.icc) ?? "");
}

/**
 * The upright picture reduced to the larger of the two outputs, in one decode: a source of sharp
 * pipelines for both. Asking sharp for a reduction of 4x or more lets libjpeg decode at 1/2, 1/4 or
 * 1/8 scale (its DCT scaling: shrink-on-load), so a 12 MP JPEG never exists at full size in memory;
 * libvips then resamples the rest of the way. The file's values are kept as they are (the encoder
 * sees them unmanaged, as Pillow does). When the thumbnail needs colour management from an
 * embedded ICC profile, the copy is an uncompressed TIFF carrying the profile (a write and two
 * reads, ~5 ms a photo); otherwise it is raw pixels.
 */
async function reducedOnce(buffer: Buffer, options: SharpOptions, size: SharedDecode, asIs: boolean): Promise<(encoder: boolean) => Sharp> {
  const reducing = sharp(buffer, { ...options, ignoreIcc: true })
    .rotate()
    .resize({ width: size.width, height: size.height, kernel: size.kernel, fit: "fill" });
  if (!asIs) {
    const tiff = await reducing.keepIccProfile().tiff({ compression: "none" }).toBuffer();
    return (encoder) => sharp(tiff, { ignoreIcc: encoder });
  }
  const { data, info } = await reducing.raw().toBuffer({ resolveWithObject: true });
  return () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
}

export async function decodeImage(buffer: Buffer, limits: DecodeLimits): Promise<DecodedImage> {
  const decoding = await decodeForEmbedding(buffer, limits);
  return { ...decoding, thumbnail: await decoding.thumbnail };
}

/**
 * decodeImage for ingest, which embeds a batch before it writes the thumbnails: it resolves with
 * the encoder's input while the thumbnail is still being encoded in libvips's threads, so that
 * encoding runs beside the model (the thumbnail promise is marked handled: a failure surfaces where
 * it is awaited). `decoding`, when given, is called as soon as the pixels are being decoded in
 * libvips's threads, the costly part, which then goes on without the main thread.
 */
export async function decodeForEmbedding(buffer: Buffer, limits: DecodeLimits, decoding?: () => void): Promise<DecodingImage> {
  if (buffer.length === 0) throw new AppError("invalid_image", "the file is empty");
  // First frame only for animations; `failOn: "error"` rejects truncated data rather than guessing.
  const options = { limitInputPixels: limits.maxPixels, failOn: "error", pages: 1 } as const;
  const source = sharp(buffer, options);
  let meta: Metadata;
  try {
    meta = await source.metadata();
  } catch (error) {
    if (/pixel limit/i.test(String((error as Error)?.message))) {
      throw new AppError("too_large", `image has more than ${limits.maxPixels} pixels (MAX_IMAGE_PIXELS)`, { cause: error });
    }
    throw new AppError("invalid_image", `not a supported image (${shortReason(error)})`, { cause: error });
  }
  if (needsHeifDecoder(meta))
    return { ...(await decodeForEmbedding(await heifToPng(buffer, limits.maxPixels), limits, decoding)), mime: "image/heic" };
  const mime = meta.format ? MIME[meta.format] : undefined;
  if (!mime || !meta.width || !meta.height) throw new AppError("invalid_image", `unsupported image format: ${meta.format ?? "unknown"}`);
  if (meta.width * meta.height > limits.maxPixels) {
    throw new AppError("too_large", `image is ${meta.width}x${meta.height}; the limit is ${limits.maxPixels} pixels (MAX_IMAGE_PIXELS)`);
  }
  const swap = (meta.orientation ?? 1) >= 5; // orientations 5-8 turn the picture by 90 degrees
  const [width, height] = swap ? [meta.height, meta.width] : [meta.width, meta.height];
  const undecodable = (error: unknown) =>
    new AppError("invalid_image", `could not decode the image (${shortReason(error)})`, { cause: error });
  try {
    const size = sharedDecodeSize(width, height, limits.thumbnailSize);
    const reducing = size && reducedOnce(buffer, options, size, displayableAsIs(meta));
    if (reducing) decoding?.();
    const reduced = await reducing;
    // The encoder sees the file's values with any embedded ICC profile ignored, as Pillow decodes
    // them for CLIP's training and reference; the thumbnail is colour-managed for display.
    // rotate() applies and clears EXIF orientation (the reduced copy is upright already).
    const pixelsOut = clipPixels(reduced ? reduced(true) : sharp(buffer, { ...options, ignoreIcc: true }).rotate(), width, height);
    if (!reduced) decoding?.();
    const pixels = await pixelsOut;
    // Started once the encoder's input is made, so it does not queue ahead of the other photos'.
    const thumbnail = toThumbnail(reduced ? reduced(false) : source.clone().rotate(), limits.thumbnailSize).catch((error: unknown) => {
      throw undecodable(error);
    });
    thumbnail.catch(() => undefined);
    return {
      width,
      height,
      mime,
      thumbnail,
      embedInput: { data: new Uint8Array(pixels.data), width: pixels.info.width, height: pixels.info.height },
    };
  } catch (error) {
    throw undecodable(error);
  }
}

function shortReason(error: unknown): string {
  return (String((error as Error)?.message ?? error).split("\n")[0] ?? "").slice(0, 200);
}
