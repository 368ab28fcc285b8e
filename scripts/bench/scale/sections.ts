/** The scale sections that need the bench's models and server, bound to index.ts's settings. */
import { embeddedScale } from "./embedded-scale";
import { textUnderLoad } from "./text-load";

export interface SectionContext {
  size: number;
  modelDir: string;
  modelId: string;
  ensureModel: () => void;
  serverEnv: () => Record<string, string>;
  log: (message: string) => void;
}

export function scaleSections(context: SectionContext) {
  return {
    embedded: () =>
      embeddedScale(
        [...new Set([100_000, context.size])].sort((a, b) => a - b),
        context.modelId,
        context.log,
      ),
    text: () => {
      context.ensureModel();
      return textUnderLoad(context);
    },
  };
}
