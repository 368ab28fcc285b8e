/** The error a bad setting raises: it names the variable, and start-up exits 78 (EX_CONFIG) on it. */
const CONFIG_ERROR = Symbol.for("photo-search.ConfigError");

export class ConfigError extends Error {
  readonly [CONFIG_ERROR] = true;

  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = "ConfigError";
  }

  /** By brand, not prototype: the server may load more than one copy of this module (see AppError). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[CONFIG_ERROR] === true;
  }
}
