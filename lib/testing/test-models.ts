/**
 * The generated test models' settings, from fixtures/models/test.env (the one place they are kept),
 * with MODEL_DIR made absolute. Only node built-ins here: e2e helpers and the bench import it too.
 */
import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");
export const TEST_ENV_FILE = path.join(PROJECT_ROOT, "fixtures", "models", "test.env");

export function testModelEnv(): { MODEL_DIR: string; IMAGE_MODEL: string; MULTILINGUAL_MODEL: string } {
  const env = parseEnv(fs.readFileSync(TEST_ENV_FILE, "utf8")) as Record<string, string | undefined>;
  const { MODEL_DIR, IMAGE_MODEL, MULTILINGUAL_MODEL } = env;
  if (!MODEL_DIR || !IMAGE_MODEL || !MULTILINGUAL_MODEL)
    throw new Error(`${TEST_ENV_FILE} must set MODEL_DIR, IMAGE_MODEL and MULTILINGUAL_MODEL`);
  return { MODEL_DIR: path.resolve(PROJECT_ROOT, MODEL_DIR), IMAGE_MODEL, MULTILINGUAL_MODEL };
}
