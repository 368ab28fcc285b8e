/**
 * Shared start-up for the CLIs: errors the user can act on print one line (the variable to set, the
 * model that cannot load, the file that is missing), not a stack, and end with an exit code scripts
 * can rely on.
 */
import { ConfigError } from "@/lib/config";
import { AppError } from "@/lib/errors";

export const EXIT = {
  ok: 0,
  /** Files failed (ingest: none is in the library, or any with --strict). */
  filesFailed: 1,
  /** Bad arguments, settings (a variable, or a store holding another model), or input files. */
  usage: 2,
  /** The model cannot be loaded (no hub access, no MODEL_DIR): the message says the ways out. */
  modelUnavailable: 3,
  /** The store is unreachable (Elasticsearch down). */
  storeUnavailable: 4,
  /**
   * Ingest: the folder is missing, unreadable or empty while the library has photos under it (an
   * unmounted drive?), so none was removed; --force removes them.
   */
  syncRefused: 5,
  /** A bug: the stack is printed. */
  unexpected: 70,
  interrupted: 130,
} as const;

function exitCodeOf(error: AppError): number {
  if (error.code === "model_unavailable") return EXIT.modelUnavailable;
  if (error.code === "store_unavailable") return EXIT.storeUnavailable;
  return EXIT.usage;
}

export async function runCli(main: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await main()) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}`);
      process.exitCode = EXIT.usage;
    } else if (error instanceof AppError) {
      console.error(`error: ${error.message}`);
      process.exitCode = exitCodeOf(error);
    } else {
      console.error(error);
      process.exitCode = EXIT.unexpected;
    }
  }
}
