/**
 * Domain errors carry a stable machine code and an HTTP status, so every route answers in the one
 * shape `{ error: { code, message } }` without knowing where an error came from.
 */
export type ErrorCode =
  | "bad_request"
  | "invalid_metadata"
  | "unauthorized"
  | "forbidden"
  | "method_not_allowed"
  | "invalid_image"
  | "too_large"
  | "rate_limited"
  | "not_found"
  | "model_mismatch"
  | "store_unavailable"
  | "embedder_unavailable"
  | "model_unavailable"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_metadata: 400,
  unauthorized: 401,
  forbidden: 403,
  method_not_allowed: 405,
  invalid_image: 422,
  too_large: 413,
  rate_limited: 429,
  not_found: 404,
  model_mismatch: 409,
  store_unavailable: 503,
  embedder_unavailable: 503,
  /** A server model cannot be loaded: not in MODEL_DIR, or the hub (or mirror) cannot be reached. */
  model_unavailable: 503,
  internal: 500,
};

/**
 * Marks AppErrors through the process-wide symbol registry. `instanceof` is not enough: the Next
 * server bundles the instrumentation hook (which builds the shared context) and the routes
 * separately, so an error thrown by the store can come from another copy of this class.
 */
const BRAND = Symbol.for("photo-search.AppError");

export class AppError extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS[this.code];
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

export const badRequest = (message: string) => new AppError("bad_request", message);
export const notFound = (message: string) => new AppError("not_found", message);
