/** The search request, validated at the edge: every route and the CLI parse through this. */
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import { isPhotoId, PHOTO_ID_RULE } from "@/lib/store/photo-id";
import { RESULT_ORDERS, type ResultOrder } from "./orders";

export { RESULT_ORDERS, type ResultOrder };

export const MAX_K = 100;
export const MAX_OFFSET = 5_000;
export const MAX_QUERY_CHARS = 1_000;

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const photoId = z.string().refine(isPhotoId, `must be ${PHOTO_ID_RULE}`);
export const MAX_IMAGE_TERMS = 8;

export const filtersSchema = z
  .object({
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    near: z
      .object({ lat: finite, lon: finite, radiusKm: finite.positive().max(20_040) })
      .strict()
      .optional(),
    box: z.object({ top: finite, left: finite, bottom: finite, right: finite }).strict().optional(),
    folder: z.string().max(1_000).optional(),
    /** A country, as an ISO 3166-1 alpha-2 code (IT). */
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "country must be a two-letter ISO 3166-1 code such as IT")
      .optional(),
  })
  .strict();

export const searchSchema = z
  .object({
    q: z.string().trim().min(1, "q must not be empty").max(MAX_QUERY_CHARS, `q must be at most ${MAX_QUERY_CHARS} characters`).optional(),
    vector: z
      .object({ model: z.string().min(1), values: z.array(z.unknown()) })
      .strict()
      .optional(),
    like: photoId.optional(),
    /** Photos to search away from ("not like this"), by id. */
    unlike: z.array(photoId).max(MAX_IMAGE_TERMS, `unlike takes at most ${MAX_IMAGE_TERMS} photos`).optional(),
    /** Weight of the photo (like or image file) against the text terms in a composed query. */
    likeWeight: finite.positive().max(10).optional(),
    mode: z.enum(["semantic", "text", "hybrid"]).optional(),
    /** Stop at the hits judged relevant (default), or go on into the less relevant ones. */
    cutoff: z.boolean().default(true),
    /** Relevant hits best first, or by capture date (the relevant set first, then the rest). */
    order: z.enum(RESULT_ORDERS).default("relevance"),
    /** Whether dates typed into q become a date filter. */
    dates: z.boolean().default(true),
    /** The query's language (BCP 47, e.g. zh, en-GB): picks the text tower instead of detection. */
    lang: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "lang must be a language code such as zh or en")
      .optional(),
    /** Forces a text tower: clip, multilingual, or a configured text model's id. */
    textModel: z.string().trim().min(1).max(200).optional(),
    k: z.number().int().min(1).max(MAX_K).default(24),
    offset: z.number().int().min(0).max(MAX_OFFSET).default(0),
    filters: filtersSchema.optional(),
  })
  .strict();

export type SearchRequest = z.infer<typeof searchSchema>;
export type Filters = z.infer<typeof filtersSchema>;

/** Parses a request body; `hasImage` says whether an image came with it (multipart). */
export function parseSearchRequest(body: unknown, hasImage = false): SearchRequest {
  const parsed = searchSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw badRequest(`${where}${issue?.message ?? "invalid request"}`);
  }
  const request = parsed.data;
  // No query at all browses the library, newest first. Text may join one photo ("like this, but…").
  if (request.vector && (request.q !== undefined || request.like || hasImage))
    throw badRequest("a vector query cannot be combined with q, like or an image file");
  if (request.like && hasImage) throw badRequest("give one photo: like (a photo id) or an image file, not both");
  if (request.likeWeight !== undefined && !request.like && !hasImage) throw badRequest("likeWeight needs a photo (like or an image file)");
  if (request.unlike?.length && !(request.q !== undefined || request.like || hasImage))
    throw badRequest("unlike needs something to search for (q, like or an image file)");
  if (request.mode && request.mode !== "semantic" && (request.like || hasImage))
    throw badRequest(`mode ${request.mode} cannot be combined with a photo`);
  if ((request.lang || request.textModel) && (request.q === undefined || request.mode === "text"))
    throw badRequest("lang and textModel choose how query text is embedded: they need q, in semantic or hybrid mode");
  if (request.mode && request.mode !== "semantic" && request.q === undefined)
    throw badRequest(`mode ${request.mode} needs a text query (q)`);
  return request;
}
