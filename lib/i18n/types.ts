/** Shapes shared by the message tables. */

/** A counted message: "one" where the language has it (English), "other" always. */
export interface Plural {
  one?: string;
  other: string;
}

/** Every error code the API answers with, plus those the browser adds (no answer, no JSON, an image query this browser no longer has). */
export const ERROR_CODES = [
  "bad_request",
  "invalid_image",
  "too_large",
  "rate_limited",
  "not_found",
  "model_mismatch",
  "store_unavailable",
  "embedder_unavailable",
  "model_unavailable",
  "internal",
  "network",
  "http",
  "image_gone",
] as const;

export type ErrorMessages = Record<(typeof ERROR_CODES)[number], { message: string; action: string }>;
