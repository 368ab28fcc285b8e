/**
 * One clear message when a model cannot be had: which model, from where, why, and the ways out (a
 * local folder, a mirror, or fetching the models ahead of time). Said once by the CLIs and shown by
 * the gallery, instead of a bare "fetch failed".
 */
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";

const HUB = "https://huggingface.co";

/** How a model's files are put into a folder ahead of time: a command, and what else helps. */
export interface ModelRecipe {
  /** Fills <folder> (the placeholder is replaced by MODEL_DIR when that is set). */
  command: string;
  note?: string;
}

/** The configured CLIP towers download as they are (scripts/fetch-models.ts). */
export const FETCH_MODELS: ModelRecipe = { command: "npm run models:fetch -- --dir <folder>" };

export function modelUnavailable(what: string, models: Config["models"], error: unknown, recipe: ModelRecipe = FETCH_MODELS): AppError {
  const reason = describeFailure(error);
  const note = recipe.note ? ` ${recipe.note}` : "";
  if (models.localDir) {
    return new AppError(
      "model_unavailable",
      `could not load ${what} from MODEL_DIR=${models.localDir}: ${reason}. ` +
        `The folder must hold the model's files as <MODEL_DIR>/<model id>/… (config.json, onnx/…): ` +
        `put them there with ${recipe.command.replace("<folder>", models.localDir)} on a machine with access to the hub or a mirror, ` +
        `or unset MODEL_DIR to download them.${note}`,
      { cause: error },
    );
  }
  const source = models.remoteHost ? `HF_ENDPOINT=${models.remoteHost}` : HUB;
  if (!isDownloadFailure(error)) {
    return new AppError("model_unavailable", `could not load ${what} (from ${source}): ${reason}`, { cause: error });
  }
  return new AppError(
    "model_unavailable",
    `could not download ${what} from ${source}: ${reason}. Three ways out: ` +
      `(1) a local folder: MODEL_DIR=<folder> holding <folder>/<model id>/…; ` +
      `(2) a mirror: HF_ENDPOINT=https://hf-mirror.com (for mainland China)${models.remoteHost ? " or another one" : ""}; ` +
      `(3) prepare the models where there is access, with ${recipe.command}, copy the folder here and set MODEL_DIR to it.${note}`,
    { cause: error },
  );
}

/** The first line of the error, with the network cause Node hides behind "fetch failed". */
function describeFailure(error: unknown): string {
  const message = String((error as Error)?.message ?? error).split("\n")[0] ?? "unknown error";
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message;
  return detail && !message.includes(detail) ? `${message} (${detail})` : message;
}

/** The network failed, or the hub answered that it has no such file: the model could not be had at all. */
function isDownloadFailure(error: unknown): boolean {
  const err = error as { name?: string; message?: string; cause?: unknown };
  if (err?.name === "ModelFileNotFoundError") return true;
  const message = String(err?.message ?? "");
  return (
    /fetch failed|could not locate file|unauthorized access|forbidden access|internal server error|occurred while trying to load file/i.test(
      message,
    ) ||
    /E(CONNREFUSED|CONNRESET|NOTFOUND|TIMEDOUT|AI_AGAIN|HOSTUNREACH|NETUNREACH)|UND_ERR/.test(
      String((err?.cause as { code?: string })?.code ?? ""),
    )
  );
}
