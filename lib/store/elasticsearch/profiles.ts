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

export type Query = Record<string, unknown>;

/** How an index knows folders: for the folder filter and the folder facet. */
export interface FolderScheme {
  /** The query for one folder and everything below it. */
  filter(folder: string): Query;
  /**
   * A keyword field holding each photo's folder (counted by a terms aggregation), or a keyword field
   * of relative file paths whose folders the store counts itself (scripts, which could derive a
   * folder inside Elasticsearch, are not on every cluster).
   */
  facet: { field: string } | { pathField: string; folderOf(relativePath: string): string };
}

export interface IndexProfile {
  name: ProfileName;
  writable: boolean;
  vectorField: string;
  idField: string;
  /** Fields for BM25, with boosts. */
  textFields: string[];
  /** keyword-only file-name fields, matched by case-insensitive prefix and wildcard. */
  nameFields?: string[];
  dateField?: string;
  locationField?: string;
  /** A keyword field of ISO country codes (the app's place names). */
  countryField?: string;
  folders?: FolderScheme;
  toPhoto(id: string, source: Record<string, unknown>): Photo;
}

type Source = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === "string" && value.trim() ? value.trim() : undefined);
/** A hit's photo id when only the profile's id field was asked of its _source (as toPhoto reads it). */
export function photoIdOf(profile: IndexProfile, hitId: string, source: Source | undefined): string {
  return str(source?.[profile.idField]) ?? hitId;
}

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
  const raw = str(value) ?? (typeof value === "number" ? new Date(value).toISOString() : undefined);
  if (!raw) return undefined;
  // A date-time without a zone (the generator's EXIF dates) is UTC to Elasticsearch; JavaScript
  // would read it as the server's local time.
  const text = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(raw) ? `${raw}Z` : raw;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export const APP_PROFILE: IndexProfile = {
  name: "app",
  writable: true,
  vectorField: VECTOR_FIELD,
  idField: "photo_id",
  textFields: ["caption^3", "tags^3", "name_text^2", "place_names^2", "folder_text", "camera", "extra_text"],
  dateField: "taken_at",
  locationField: "location",
  countryField: "place_country_code",
  folders: {
    filter: (folder) => ({
      bool: { should: [{ term: { folder } }, { prefix: { folder: `${folder}/` } }], minimum_should_match: 1 },
    }),
    facet: { field: "folder" },
  },
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

/**
 * The generator writes `relative_path` below its `images/` folder (with backslashes when run on
 * Windows). Folders are named like the app's own: the image folder's name, then the relative
 * directory (`images`, `images/tuscany/hills`), so the filter and the facet agree with the photo view.
 */
function relativePathFolders(rootName: string): FolderScheme & { folderOf(relativePath: string): string } {
  const folderOf = (relativePath: string) => {
    const dir = path.posix.dirname(relativePath.replace(/\\/g, "/"));
    return dir === "." ? rootName : `${rootName}/${dir}`;
  };
  return {
    folderOf,
    filter(folder) {
      if (folder === rootName) return { exists: { field: "relative_path" } };
      if (!folder.startsWith(`${rootName}/`)) return { match_none: {} };
      const dir = folder.slice(rootName.length + 1);
      const prefixes = [`${dir}/`, `${dir.replace(/\//g, "\\")}\\`];
      return { bool: { should: prefixes.map((value) => ({ prefix: { relative_path: value } })), minimum_should_match: 1 } };
    },
    facet: { pathField: "relative_path", folderOf },
  };
}

export function generatorProfile(imageRoot: string | undefined): IndexProfile {
  const folders = relativePathFolders(imageRoot ? path.basename(imageRoot) : "images");
  return {
    name: "generator",
    writable: false,
    vectorField: "image_embedding",
    idField: "image_id",
    textFields: ["image_name^2", "relative_path"],
    nameFields: ["image_name", "relative_path"],
    dateField: "exif.date",
    locationField: "exif.location",
    folders,
    toPhoto(id, s: Source) {
      const relative = (str(s.relative_path) ?? str(s.image_name) ?? id).replace(/\\/g, "/");
      const exif = (s.exif ?? {}) as Source;
      const photo: Photo = {
        id: str(s.image_id) ?? id,
        root: imageRoot ?? "",
        path: relative,
        folder: folders.folderOf(relative),
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
