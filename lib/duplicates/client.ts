/** The browser's side of the duplicates review: list with thresholds, remove from the library. */
import { ApiError } from "@/lib/search/client";
import type { DuplicatesView } from "./review";

export type { DuplicatesView } from "./review";

export interface Thresholds {
  near: number;
  hash: number;
  burst: number;
  seconds: number;
}

async function parse<T>(response: Response): Promise<T> {
  const body = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (body as { error?: { code: string; message: string } } | undefined)?.error;
    throw new ApiError(error?.code ?? "http", error?.message ?? `HTTP ${response.status}`, response.status);
  }
  return body as T;
}

export function duplicatesUrl(t: Thresholds): string {
  return `/api/duplicates?${new URLSearchParams(Object.entries(t).map(([k, v]) => [k, String(v)]))}`;
}

export async function fetchDuplicates(url: string): Promise<DuplicatesView> {
  return parse(await fetch(url));
}

export async function removeFromLibrary(ids: string[]): Promise<{ removed: string[]; notFound: string[] }> {
  return parse(
    await fetch("/api/duplicates/remove", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids }),
    }),
  );
}
