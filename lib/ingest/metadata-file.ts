/**
 * An optional metadata file gives photos searchable text: JSON (an array of objects, or an object
 * keyed by file) or CSV with a header. Each record names its file (`image`, `file`, `path` or
 * `filename`, relative to the metadata file's folder or just the file name), and may give
 * `caption` or `captions`, `tags`, and any other fields, which are kept as extra metadata.
 * Several CSV rows for one file (one caption per row, as Flickr8k ships) are merged.
 *
 * A file that cannot be used stops the ingest before anything is written, with every problem named
 * by file and line: malformed JSON or CSV, a record that is not an object, an object or a list
 * where text belongs, text over the bounds uploads have too (metadata-schema). A byte-order mark is
 * read past, and a FIFO or device named like a metadata file is never opened.
 */
import fs from "node:fs";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { AppError } from "@/lib/errors";
import { describeIssues, metadataPatchSchema } from "./metadata-schema";

/** A record's text: fields it does not give are left as stored (a patch, see metadata-schema). */
export interface PhotoText {
  caption?: string;
  tags?: string[];
  extra: Record<string, string>;
}

const FILE_KEYS = ["image", "file", "path", "filename", "photo"];
const CAPTION_KEYS = ["caption", "captions", "description", "title"];
const TAG_KEYS = ["tags", "labels", "keywords"];
const MAX_PROBLEMS = 10;

export class MetadataIndex {
  private readonly byPath = new Map<string, PhotoText>();
  private readonly byName = new Map<string, PhotoText | null>(); // null: name is ambiguous

  add(absolutePath: string, text: PhotoText): PhotoText {
    const existing = this.byPath.get(absolutePath);
    const merged = existing ? merge(existing, text) : text;
    this.byPath.set(absolutePath, merged);
    const name = path.basename(absolutePath);
    const other = this.byName.get(name);
    this.byName.set(name, other === undefined || other === existing ? merged : null);
    return merged;
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
  const merged: PhotoText = { extra: { ...a.extra, ...b.extra } };
  const caption = [a.caption, b.caption].filter(Boolean).join("\n");
  if (caption) merged.caption = caption;
  if (a.tags || b.tags) merged.tags = [...new Set([...(a.tags ?? []), ...(b.tags ?? [])])];
  return merged;
}

interface SourceRecord {
  value: unknown;
  /** 1-based line where the record starts (JSON) or ends (CSV). */
  line: number;
}

/** A problem in one record, reported with the file and line. */
class RecordProblem extends Error {}

export function loadMetadataFile(file: string): MetadataIndex {
  const records = readRecords(file);
  const dir = path.dirname(path.resolve(file));
  const index = new MetadataIndex();
  const problems: string[] = [];
  for (const { value, line } of records) {
    try {
      const { name, text } = toPhotoText(value);
      const merged = index.add(path.resolve(dir, name), text);
      checkBounds(merged);
    } catch (error) {
      if (!(error instanceof RecordProblem)) throw error;
      problems.push(`${file}:${line}: ${error.message}`);
      if (problems.length >= MAX_PROBLEMS) break;
    }
  }
  if (problems.length) throw new AppError("invalid_metadata", problems.join("\n"));
  return index;
}

function readRecords(file: string): SourceRecord[] {
  let content: string;
  try {
    if (!fs.statSync(file).isFile())
      throw new AppError("invalid_metadata", `${file}: not a regular file (a FIFO, socket or device): not read`);
    content = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("invalid_metadata", `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  content = content.replace(/^\uFEFF/, ""); // a byte-order mark, as Windows editors write
  return /\.csv$/i.test(file) ? csvRecords(file, content) : jsonRecords(file, content);
}

function csvRecords(file: string, content: string): SourceRecord[] {
  try {
    const rows = parseCsv(content, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as {
      record: Record<string, string>;
      info: { lines: number };
    }[];
    return rows.map(({ record, info }) => ({ value: record, line: info.lines }));
  } catch (error) {
    throw new AppError("invalid_metadata", `${file}: not valid CSV (${(error as Error).message})`);
  }
}

function jsonRecords(file: string, content: string): SourceRecord[] {
  const errors: ParseError[] = [];
  const root = parseTree(content, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const lineOf = lineFinder(content);
  const first = errors[0];
  if (first || !root) {
    const where = first ? `${lineOf(first.offset)}` : "1";
    throw new AppError("invalid_metadata", `${file}:${where}: not valid JSON (${first ? printParseErrorCode(first.error) : "empty"})`);
  }
  if (root.type === "array") return (root.children ?? []).map((node) => ({ value: getNodeValue(node), line: lineOf(node.offset) }));
  if (root.type === "object") {
    // { "a.jpg": { "caption": … }, … }: the key names the file.
    return (root.children ?? []).map((property: Node) => {
      const [key, value] = property.children ?? [];
      const record = value && getNodeValue(value);
      const line = lineOf(property.offset);
      if (typeof record !== "object" || record === null || Array.isArray(record)) {
        return { value: `the value of "${key && getNodeValue(key)}" is ${describe(record)}, not an object of fields`, line };
      }
      return { value: { image: key && getNodeValue(key), ...record }, line };
    });
  }
  throw new AppError(
    "invalid_metadata",
    `${file}:1: expected a list of records or an object keyed by file, got ${describe(getNodeValue(root))}`,
  );
}

function lineFinder(content: string): (offset: number) => number {
  const starts = [0];
  for (let i = content.indexOf("\n"); i >= 0; i = content.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

function toPhotoText(value: unknown): { name: string; text: PhotoText } {
  if (typeof value === "string") throw new RecordProblem(value); // a problem found while reading (keyed form)
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RecordProblem(`a record is ${describe(value)}, not an object with a file name`);
  }
  const record = value as Record<string, unknown>;
  const fileKey = Object.keys(record).find((k) => FILE_KEYS.includes(k.toLowerCase()));
  const name = fileKey === undefined ? undefined : record[fileKey];
  if (typeof name !== "string" || !name.trim()) {
    const got = fileKey === undefined ? "none" : `${fileKey} is ${describe(name)}`;
    throw new RecordProblem(`every record needs a file name in one of: ${FILE_KEYS.join(", ")} (${got})`);
  }
  const captions: string[] = [];
  const text: PhotoText = { extra: {} };
  for (const [key, field] of Object.entries(record)) {
    const lower = key.toLowerCase();
    if (key === fileKey || field === null || field === undefined) continue;
    const values = textValues(key, field);
    if (CAPTION_KEYS.includes(lower)) captions.push(...values);
    else if (TAG_KEYS.includes(lower)) {
      const tags = values.flatMap((t) => t.split(/[,;|]/)).map((t) => t.trim());
      text.tags = [...(text.tags ?? []), ...tags.filter(Boolean)];
    } else if (values.length) text.extra[key] = values.join(", ");
  }
  if (captions.length) text.caption = captions.join("\n");
  return { name: name.trim(), text };
}

/** Text, a number or a yes/no, or a list of those; anything else is named as the problem. */
function textValues(key: string, value: unknown): string[] {
  const one = (v: unknown): string[] => {
    if (v === null || v === undefined) return [];
    if (typeof v === "string") return v.trim() ? [v.trim()] : [];
    if (typeof v === "number" || typeof v === "boolean") return [String(v)];
    throw new RecordProblem(`${key}: expected text or a list of text, got ${describe(v)}`);
  };
  return Array.isArray(value) ? value.flatMap(one) : one(value);
}

/** The bounds uploads have, so both paths accept the same text. */
function checkBounds(text: PhotoText): void {
  const parsed = metadataPatchSchema.safeParse(text);
  if (!parsed.success) throw new RecordProblem(describeIssues(parsed.error));
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object"
    ? "an object"
    : typeof value === "string"
      ? `text "${value.slice(0, 40)}"`
      : `${typeof value} ${String(value)}`;
}
