/** Shared start-up for the CLIs: config errors print one line naming the variable, not a stack. */
import { ConfigError } from "@/lib/config";
import { AppError } from "@/lib/errors";

export async function runCli(main: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AppError) {
      console.error(`error: ${error.message}`);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  }
}
