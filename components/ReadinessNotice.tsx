"use client";
/**
 * What keeps the server from serving searches, shown above the results from the first paint (the
 * page renders it from readiness): a model that cannot be loaded (with the ways out), a library on
 * another model, a store that cannot be reached; and, while a server model downloads, its progress.
 * While a model loads it asks /api/ready again every second, until the load is over.
 */
import { useEffect, useState } from "react";
import type { Readiness } from "@/lib/health";
import { errorText, format } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";

type ModelState = { id: string; state: string; download?: { loadedBytes: number; totalBytes: number } };

/** The part of /api/ready the notice needs. */
export interface ReadinessView {
  /** Parallel lists: why (a code the notice translates) and the server's message. */
  reasons?: Readiness["reasons"];
  problems?: string[];
  /** textTowers: the server's text models (CLIP's and the multilingual encoder), when text is embedded here. */
  models: { image: ModelState; text: ModelState; textTowers?: ModelState[] };
}

const POLL_MS = 1_000;

export function ReadinessNotice({ initial, t }: { initial: ReadinessView; t: Messages }) {
  const [report, setReport] = useState(initial);
  const models: { kind: "image" | "text"; model: ModelState }[] = [
    { kind: "image", model: report.models.image },
    ...(report.models.textTowers ?? [report.models.text]).map((model) => ({ kind: "text" as const, model })),
  ];
  const loading = models.some(({ model }) => model.state === "loading");

  useEffect(() => {
    if (!loading) return;
    const timer = setTimeout(async () => {
      try {
        // 503 (not ready) carries the same report.
        setReport((await (await fetch("/api/ready", { cache: "no-store" })).json()) as ReadinessView);
      } catch {
        setReport((current) => ({ ...current })); // try again on the next tick
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [report, loading]);

  const downloads = models.flatMap(({ kind, model }) =>
    model.state === "loading" && model.download && model.download.totalBytes > 0 ? [{ kind, model, download: model.download }] : [],
  );
  // The text model "not started" in Elasticsearch has its own notice (see app/page.tsx).
  const issues = (report.reasons ?? [])
    .map((code, i) => ({ code, message: report.problems?.[i] ?? "" }))
    .filter((issue) => issue.code !== "text_model_not_started");
  if (downloads.length === 0 && issues.length === 0) return null;

  return (
    <div className="mb-4 flex flex-col gap-2" data-testid="readiness">
      {downloads.map(({ kind, model, download }) => {
        const percent = Math.floor((100 * download.loadedBytes) / download.totalBytes);
        return (
          <div
            key={model.id + kind}
            role="status"
            className="rounded-lg border border-sky-300 bg-sky-50 p-3 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100"
          >
            <p>
              {format(t.modelDownloading, {
                kind: kind === "image" ? t.modelKindImage : t.modelKindText,
                model: model.id,
                percent,
                loaded: megabytes(download.loadedBytes),
                total: megabytes(download.totalBytes),
              })}
            </p>
            <progress
              className="mt-2 h-1.5 w-full accent-sky-600"
              max={download.totalBytes}
              value={download.loadedBytes}
              aria-label={model.id}
            />
          </div>
        );
      })}
      {issues.length > 0 && (
        <div
          role="alert"
          data-testid="not-ready"
          className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          <p className="font-medium">{t.notReady}</p>
          {issues.map((issue) => (
            <div key={issue.code + issue.message} className="mt-1">
              {errorText(t, issue.code, "") && <p>{errorText(t, issue.code, "")}</p>}
              <p className="mt-1 font-mono text-xs break-words whitespace-pre-line opacity-80">{issue.message}</p>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function megabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
