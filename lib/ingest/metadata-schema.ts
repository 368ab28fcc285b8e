/**
 * The one definition of a photo's editable text (caption, tags, extra fields) and its bounds, shared
 * by uploads and metadata files so both paths accept and refuse the same things. A metadata value is
 * a patch: fields it leaves out keep what is stored (`null` clears a caption or an extra field), so
 * re-uploading a photo without metadata never erases what a user wrote.
 */
import { z } from "zod";
import { AppError } from "@/lib/errors";

export const METADATA_LIMITS = {
  /** Characters in a caption (all captions of a photo, joined by newlines). */
  captionChars: 5_000,
  tags: 100,
  tagChars: 100,
  extraFields: 50,
  extraKeyChars: 100,
  extraValueChars: 2_000,
} as const;

const L = METADATA_LIMITS;

const text = (max: number) =>
  z
    .string({ error: (issue) => `expected text, got ${describe(issue.input)}` })
    .max(max, { error: (issue) => `at most ${max} characters (got ${String(issue.input).length})` });

export const metadataPatchSchema = z.strictObject(
  {
    caption: text(L.captionChars).nullable().optional(),
    tags: z
      .array(text(L.tagChars).trim().min(1, { error: "tags cannot be empty" }), {
        error: (issue) => `expected a list of text, got ${describe(issue.input)}`,
      })
      .max(L.tags, { error: (issue) => `at most ${L.tags} tags (got ${(issue.input as unknown[]).length})` })
      .optional(),
    extra: z
      .record(text(L.extraKeyChars).min(1, { error: "field names cannot be empty" }), text(L.extraValueChars).nullable(), {
        error: (issue) => `expected an object of text fields, got ${describe(issue.input)}`,
      })
      .refine((extra) => Object.keys(extra).length <= L.extraFields, {
        error: (issue) => `at most ${L.extraFields} fields (got ${Object.keys(issue.input as object).length})`,
      })
      .optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : `expected a JSON object, got ${describe(issue.input)}`) },
);

export type MetadataPatch = z.infer<typeof metadataPatchSchema>;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : typeof value === "string" ? "text" : typeof value;
}

/** "caption: at most 5000 characters (got 20000000)", one line per problem, naming each field. */
export function describeIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const field = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
      if (issue.code === "unrecognized_keys") {
        return `${issue.keys.map((k) => [field, k].filter(Boolean).join(".")).join(", ")}: unknown field (caption, tags and extra are allowed)`;
      }
      return `${field || "metadata"}: ${issue.message}`;
    })
    .join("; ");
}

/**
 * Validates an upload's metadata (the parsed JSON of its `metadata` form field): a patch of caption,
 * tags and extra fields within METADATA_LIMITS. Throws an `invalid_metadata` AppError (400) naming
 * the field and the limit. No metadata at all (undefined or null) is an empty patch.
 */
export function parseUploadMetadata(json: unknown): MetadataPatch {
  if (json === undefined || json === null) return {};
  const parsed = metadataPatchSchema.safeParse(json);
  if (!parsed.success) throw new AppError("invalid_metadata", describeIssues(parsed.error, "metadata"));
  return parsed.data;
}

export interface PhotoTextFields {
  caption?: string;
  tags: string[];
  extra: Record<string, string>;
}

/** The stored text after a patch: given fields replace, missing ones stay, `null` clears. */
export function applyMetadata(current: PhotoTextFields, patch: MetadataPatch): PhotoTextFields {
  const result: PhotoTextFields = { tags: patch.tags ?? current.tags, extra: { ...current.extra } };
  const caption = patch.caption === undefined ? current.caption : (patch.caption ?? undefined);
  if (caption) result.caption = caption;
  for (const [key, value] of Object.entries(patch.extra ?? {})) {
    if (value === null) delete result.extra[key];
    else result.extra[key] = value;
  }
  return result;
}

/** Whether a patch would change anything. */
export function changesText(current: PhotoTextFields, patch: MetadataPatch): boolean {
  const next = applyMetadata(current, patch);
  return (
    (next.caption ?? "") !== (current.caption ?? "") ||
    JSON.stringify(next.tags) !== JSON.stringify(current.tags) ||
    JSON.stringify(next.extra) !== JSON.stringify(current.extra)
  );
}
