/**
 * Index layouts the Elasticsearch store can search. The app's own index is read and written; an
 * index made elsewhere is searched read-only through a profile that names its fields:
 * - `tutorial`: the Alibaba Cloud lab's `image-embeddings` index of Unsplash photos (`photo_id`,
 *   `photo_image_url`, `photo_description`, `ai_description`, `photographer_*`, `exif_*`,
 *   `image_embedding`), whose images are remote URLs;
 * - `generator`: the layout of Elastic's image-embeddings generator (`image_id`, `image_name`,
 *   `relative_path`, `exif.location`, `exif.date`, `image_embedding`), whose files are local
 *   (below ES_IMAGE_ROOT).
 */
import path from "node:path";
import type { Photo } from "@/lib/store/types";
import { fromDocument, type PhotoDocument } from "./documents";
import { VECTOR_FIELD } from "./mapping";

export type ProfileName = "app" | "tutorial" | "generator";

export interface IndexProfile {
  name: ProfileName;
  writable: boolean;
  vectorField: string;
  idField: string;
  /** Fields for BM25, with boosts. */
  textFields: string[];
  dateField?: string;
  locationField?: string;
  folderField?: string;
  toPhoto(id: string, source: Record<string, unknown>): Photo;
}

type Source = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === "string" && value.trim() ? value.trim() : undefined);
const num = (value: unknown): number => (typeof value === "number" ? value : Number(value) || 0);

function point(value: unknown): { lat: number; lon: number } | undefined {
  if (!value) return undefined;
  if (Array.isArray(value) && value.length === 2) return { lon: Number(value[0]), lat: Number(value[1]) }; // GeoJSON order
  if (typeof value === "string") {
    const [lat, lon] = value.split(",").map(Number);
    return lat !== undefined && lon !== undefined && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : undefined;
  }
  const p = value as { lat?: unknown; lon?: unknown };
  return p.lat !== undefined && p.lon !== undefined ? { lat: Number(p.lat), lon: Number(p.lon) } : undefined;
}

function isoDate(value: unknown): string | undefined {
  const text = str(value) ?? (typeof value === "number" ? new Date(value).toISOString() : undefined);
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export const APP_PROFILE: IndexProfile = {
  name: "app",
  writable: true,
  vectorField: VECTOR_FIELD,
  idField: "photo_id",
  textFields: ["caption^3", "tags^3", "name_text^2", "folder_text", "camera", "extra_text"],
  dateField: "taken_at",
  locationField: "location",
  folderField: "folder",
  toPhoto: (_id, source) => fromDocument(source as unknown as PhotoDocument),
};

export const TUTORIAL_PROFILE: IndexProfile = {
  name: "tutorial",
  writable: false,
  vectorField: "image_embedding",
  idField: "photo_id",
  textFields: [
    "photo_description^3",
    "ai_description^3",
    "photo_location_name^2",
    "photographer_first_name",
    "photographer_last_name",
    "photographer_username",
    "exif_camera_make",
    "exif_camera_model",
  ],
  toPhoto(id, s: Source) {
    const photographer = [str(s.photographer_first_name), str(s.photographer_last_name)].filter(Boolean).join(" ");
    const extra: Record<string, string> = {};
    if (photographer) extra.photographer = photographer;
    if (str(s.photo_url)) extra.photo_url = str(s.photo_url)!;
    if (str(s.ai_description) && str(s.photo_description)) extra.ai_description = str(s.ai_description)!;
    const camera = [str(s.exif_camera_make), str(s.exif_camera_model)].filter(Boolean).join(" ");
    const photo: Photo = {
      id: str(s.photo_id) ?? id,
      root: "",
      path: "",
      folder: "unsplash",
      name: str(s.photo_id) ?? id,
      width: num(s.photo_width),
      height: num(s.photo_height),
      bytes: 0,
      mime: "image/jpeg",
      tags: [],
      extra,
      indexedAt: isoDate(s.photo_submitted_at) ?? new Date(0).toISOString(),
    };
    const caption = str(s.photo_description) ?? str(s.ai_description);
    if (caption) photo.caption = caption;
    if (camera) photo.camera = camera;
    if (str(s.photo_image_url)) photo.url = str(s.photo_image_url);
    return photo;
  },
};

export function generatorProfile(imageRoot: string | undefined): IndexProfile {
  return {
    name: "generator",
    writable: false,
    vectorField: "image_embedding",
    idField: "image_id",
    textFields: ["image_name^2", "relative_path"],
    dateField: "exif.date",
    locationField: "exif.location",
    toPhoto(id, s: Source) {
      const relative = str(s.relative_path) ?? str(s.image_name) ?? id;
      const exif = (s.exif ?? {}) as Source;
      const photo: Photo = {
        id: str(s.image_id) ?? id,
        root: imageRoot ?? "",
        path: relative.replace(/\\/g, "/"),
        folder: path.posix.dirname(relative.replace(/\\/g, "/")) === "." ? "images" : path.posix.dirname(relative.replace(/\\/g, "/")),
        name: str(s.image_name) ?? path.posix.basename(relative),
        width: 0,
        height: 0,
        bytes: 0,
        mime: "image/jpeg",
        tags: [],
        extra: {},
        indexedAt: new Date(0).toISOString(),
      };
      const takenAt = isoDate(exif.date);
      if (takenAt) photo.takenAt = takenAt;
      const location = point(exif.location);
      if (location) photo.location = location;
      return photo;
    },
  };
}

type Properties = Record<string, { type?: string; properties?: Properties }>;

/** Recognises a layout from an index's mapping; undefined when it matches none. */
export function detectProfile(
  meta: Record<string, unknown> | undefined,
  properties: Properties,
  imageRoot?: string,
): IndexProfile | undefined {
  if (meta?.app === "photo-search") return APP_PROFILE;
  if (properties.photo_image_url && properties.image_embedding) return TUTORIAL_PROFILE;
  if (properties.image_id && properties.relative_path && properties.image_embedding) return generatorProfile(imageRoot);
  return undefined;
}

export function profileByName(name: ProfileName, imageRoot?: string): IndexProfile {
  return name === "tutorial" ? TUTORIAL_PROFILE : name === "generator" ? generatorProfile(imageRoot) : APP_PROFILE;
}
