"use client";
/** A React hook around the embedding worker: one worker per page, started on first use. */
import { useCallback, useEffect, useRef, useState } from "react";
import type { BrowserModelConfig, FromWorker, ToWorker } from "./protocol";

/** The name of the User Timing measure recorded for each query embedded in the browser. */
export const TIMING_ENTRY = "photo-search:text-embedding";

/** A query vector and the model that made it (the server checks the name). */
export interface BrowserEmbedding {
  values: Float32Array;
  textModel: string;
}

export interface BrowserEmbedder {
  embed(text: string): Promise<BrowserEmbedding>;
  /** Starts loading the model a query like `hint` would use now (the user opted in), so the first query does not wait. */
  warm(hint: string): void;
  /** Model download progress (0-100) until the model is ready, then undefined. */
  progress?: number;
  ready: boolean;
}

export function useBrowserEmbedder(config: BrowserModelConfig): BrowserEmbedder {
  const worker = useRef<Worker | undefined>(undefined);
  const pending = useRef(new Map<number, { resolve: (v: BrowserEmbedding) => void; reject: (e: Error) => void }>());
  const nextId = useRef(0);
  const cache = useRef(new Map<string, BrowserEmbedding>());
  const [progress, setProgress] = useState<number | undefined>(undefined);
  const [ready, setReady] = useState(false);

  useEffect(() => () => worker.current?.terminate(), []);

  const start = useCallback(() => {
    if (!worker.current) {
      worker.current = new Worker(new URL("./embed.worker.ts", import.meta.url), { type: "module" });
      worker.current.onmessage = (event: MessageEvent<FromWorker>) => {
        const message = event.data;
        if (message.type === "progress") setProgress(message.percent);
        else if (message.type === "ready") {
          setReady(true);
          setProgress(undefined);
        } else {
          const waiter = pending.current.get(message.id);
          pending.current.delete(message.id);
          if (message.type === "vector") waiter?.resolve({ values: message.values, textModel: message.textModel });
          else waiter?.reject(new Error(message.message));
        }
      };
      setProgress(0);
    }
    return worker.current;
  }, []);

  const embed = useCallback(
    (text: string) => {
      const cached = cache.current.get(text);
      if (cached) return Promise.resolve(cached);
      const running = start();
      const id = nextId.current++;
      const started = performance.now();
      return new Promise<BrowserEmbedding>((resolve, reject) => {
        pending.current.set(id, {
          resolve: (values) => {
            cache.current.set(text, values);
            // User Timing entry, read by `npm run bench` (and visible in the browser's profiler).
            performance.measure(TIMING_ENTRY, { start: started, end: performance.now() });
            resolve(values);
          },
          reject,
        });
        running.postMessage({ type: "embed", id, text, config } satisfies ToWorker);
      });
    },
    [config, start],
  );

  const warm = useCallback(
    (hint: string) => {
      if (!worker.current) start().postMessage({ type: "load", hint, config } satisfies ToWorker);
    },
    [config, start],
  );

  return { embed, warm, progress, ready };
}
