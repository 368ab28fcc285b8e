/**
 * The thresholds a duplicates review may set (the route's query string, the CLI's flags), bounded so
 * a preview can loosen them without asking the store for the whole library per photo.
 */
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import { DEFAULT_DUPLICATE_OPTIONS, type DuplicateOptions } from "./index";

const bounded = (min: number, max: number) =>
  z.coerce.number().refine(Number.isFinite, "must be a number").pipe(z.number().min(min).max(max));

const schema = z
  .object({
    near: bounded(0.5, 1).optional(),
    hash: bounded(0, 32).pipe(z.number().int()).optional(),
    burst: bounded(0.5, 1).optional(),
    seconds: bounded(0, 86_400).optional(),
    neighbours: bounded(1, 50).pipe(z.number().int()).optional(),
  })
  .strict();

/** The names a review uses (`near`, `hash`, `burst`, `seconds`, `neighbours`), as strings from a URL or flags. */
export type DuplicateParams = Partial<Record<"near" | "hash" | "burst" | "seconds" | "neighbours", string>>;

export function parseDuplicateOptions(params: DuplicateParams): DuplicateOptions {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== "")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(`${issue.path.join(".") || "duplicates"}: ${issue.message}`);
  }
  const p = parsed.data;
  return {
    nearCosine: p.near ?? DEFAULT_DUPLICATE_OPTIONS.nearCosine,
    maxHashDistance: p.hash ?? DEFAULT_DUPLICATE_OPTIONS.maxHashDistance,
    burstCosine: p.burst ?? DEFAULT_DUPLICATE_OPTIONS.burstCosine,
    burstSeconds: p.seconds ?? DEFAULT_DUPLICATE_OPTIONS.burstSeconds,
    neighbours: p.neighbours ?? DEFAULT_DUPLICATE_OPTIONS.neighbours,
  };
}
