/**
 * An optional metadata file gives photos searchable text: JSON (an array of objects, or an object
 * keyed by file) or CSV with a header. Each record names its file (`image`, `file`, `path` or
 * `filename`, relative to the metadata file's folder or just the file name), and may give
 * `caption` or `captions`, `tags`, and any other fields, which are kept as extra metadata.
 * Several CSV rows for one file (one caption per row, as Flickr8k ships) are merged.
 */
import fs from "node:fs";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { badRequest } from "@/lib/errors";

export interface PhotoText {
  caption?: string;
  tags: string[];
  extra: Record<string, string>;
}

const FILE_KEYS = ["image", "file", "path", "filename", "photo"];
const CAPTION_KEYS = ["caption", "captions", "description", "title"];

export class MetadataIndex {
  private readonly byPath = new Map<string, PhotoText>();
  private readonly byName = new Map<string, PhotoText | null>(); // null: name is ambiguous

  add(absolutePath: string, text: PhotoText): void {
    const existing = this.byPath.get(absolutePath);
    const merged = existing ? merge(existing, text) : text;
    this.byPath.set(absolutePath, merged);
    const name = path.basename(absolutePath);
    const other = this.byName.get(name);
    this.byName.set(name, other === undefined || other === existing ? merged : null);
  }

  /** The record for a file: by its full path, else by its file name when that is unique. */
  lookup(absolutePath: string): PhotoText | undefined {
    return this.byPath.get(absolutePath) ?? this.byName.get(path.basename(absolutePath)) ?? undefined;
  }

  get size(): number {
    return this.byPath.size;
  }
}

function merge(a: PhotoText, b: PhotoText): PhotoText {
  const caption = [a.caption, b.caption].filter(Boolean).join("\n") || undefined;
  return { caption, tags: [...new Set([...a.tags, ...b.tags])], extra: { ...a.extra, ...b.extra } };
}

function asStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(asStrings);
  if (value === null || value === undefined || value === "") return [];
  if (typeof value === "object") return [JSON.stringify(value)];
  return [String(value).trim()].filter(Boolean);
}

function toPhotoText(record: Record<string, unknown>, fileKey: string): PhotoText {
  const captions: string[] = [];
  const text: PhotoText = { tags: [], extra: {} };
  for (const [key, value] of Object.entries(record)) {
    const lower = key.toLowerCase();
    if (lower === fileKey) continue;
    if (CAPTION_KEYS.includes(lower)) captions.push(...asStrings(value));
    else if (lower === "tags" || lower === "labels" || lower === "keywords") {
      text.tags.push(
        ...asStrings(value)
          .flatMap((t) => t.split(/[,;|]/))
          .map((t) => t.trim())
          .filter(Boolean),
      );
    } else {
      const values = asStrings(value);
      if (values.length) text.extra[key] = values.join(", ");
    }
  }
  if (captions.length) text.caption = captions.join("\n");
  return text;
}

function fileKeyOf(record: Record<string, unknown>): string | undefined {
  return Object.keys(record).find((k) => FILE_KEYS.includes(k.toLowerCase()));
}

export function loadMetadataFile(file: string): MetadataIndex {
  const dir = path.dirname(path.resolve(file));
  const content = fs.readFileSync(file, "utf8");
  const index = new MetadataIndex();
  let records: Record<string, unknown>[];
  if (/\.csv$/i.test(file)) {
    records = parseCsv(content, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
  } else {
    const parsed = JSON.parse(content) as unknown;
    records = Array.isArray(parsed)
      ? (parsed as Record<string, unknown>[])
      : Object.entries(parsed as Record<string, Record<string, unknown>>).map(([image, value]) => ({ image, ...value }));
  }
  for (const record of records) {
    const key = fileKeyOf(record);
    const name = key ? String(record[key] ?? "").trim() : "";
    if (!key || !name) throw badRequest(`${file}: every record needs a file name in one of: ${FILE_KEYS.join(", ")}`);
    index.add(path.resolve(dir, name), toPhotoText(record, key.toLowerCase()));
  }
  return index;
}
