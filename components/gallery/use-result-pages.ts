"use client";
/**
 * Pages of results for one search (its key), loaded on demand. Unlike a generic data hook it keeps
 * what the gallery needs: the results on screen stay (marked stale) until the next search's first
 * page arrives; the page the server rendered is never fetched again; a failed page is retried
 * exactly, with the error kept beside the pages already shown; searches visited before come back
 * from memory on Back.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { ApiError, type ApiHit, type ApiPage } from "@/lib/search/client";

export type FetchPage = (offset: number, signal: AbortSignal) => Promise<ApiPage>;

interface Shown {
  key: string;
  pages: ApiPage[];
  error?: { error: ApiError; offset: number };
}

export interface ResultPages {
  hits: ApiHit[];
  /** The first page of the current search (what the server understood of the query), once loaded. */
  first?: ApiPage;
  /** Pages shown so far belong to the current search (false while its first page loads). */
  current: boolean;
  hasMore: boolean;
  /** Some page is on its way (the first of a new search, or the next one). */
  loading: boolean;
  /** Whether a first page has ever been shown for this search. */
  loaded: boolean;
  error?: ApiError;
  loadMore(): void;
  retry(): void;
  /** Forgets every remembered search and loads the current one again (after an upload). */
  reload(): void;
}

const REMEMBERED = 20;

export function useResultPages(
  key: string,
  fetchPage: FetchPage,
  initial?: { key: string; page?: ApiPage; error?: ApiError },
): ResultPages {
  const [shown, setShown] = useState<Shown>(() =>
    initial?.page && initial.key === key
      ? { key, pages: [initial.page] }
      : initial?.error && initial.key === key
        ? { key, pages: [], error: { error: initial.error, offset: 0 } }
        : { key: "", pages: [] },
  );
  const [loading, setLoading] = useState(false);
  const fetchRef = useRef(fetchPage);
  const inflight = useRef<AbortController | undefined>(undefined);
  const memory = useRef(new Map<string, ApiPage[]>());
  useLayoutEffect(() => {
    fetchRef.current = fetchPage;
  });

  const load = useCallback((forKey: string, offset: number, base: ApiPage[]) => {
    inflight.current?.abort();
    const controller = new AbortController();
    inflight.current = controller;
    setLoading(true);
    fetchRef.current(offset, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        const pages = [...base, page];
        memory.current.delete(forKey);
        memory.current.set(forKey, pages);
        if (memory.current.size > REMEMBERED) memory.current.delete(memory.current.keys().next().value!);
        setShown({ key: forKey, pages });
        setLoading(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError("internal", String((error as Error)?.message ?? error), 0);
        setShown({ key: forKey, pages: base, error: { error: apiError, offset } });
        setLoading(false);
      },
    );
  }, []);

  const shownKey = shown.key;
  useEffect(() => {
    if (shownKey === key) return;
    const remembered = memory.current.get(key);
    if (remembered) {
      inflight.current?.abort();
      // A search seen before comes back from memory at once.
      setShown({ key, pages: remembered });
      setLoading(false);
    } else load(key, 0, []);
  }, [key, shownKey, load]);

  useEffect(() => () => inflight.current?.abort(), []);

  const current = shown.key === key;
  const last = shown.pages.at(-1);
  const hasMore = current && !shown.error && (last?.hasMore ?? false);
  const hits = dedupe(shown.pages.flatMap((page) => page.hits));
  return {
    hits,
    first: current ? shown.pages[0] : undefined,
    current,
    hasMore,
    loading,
    loaded: current && (shown.pages.length > 0 || Boolean(shown.error)),
    error: current ? shown.error?.error : undefined,
    loadMore: () => {
      if (hasMore && !loading) load(key, offsetAfter(shown.pages), shown.pages);
    },
    retry: () => {
      if (current && shown.error) load(key, shown.error.offset, shown.pages);
      else load(key, 0, []);
    },
    reload: () => {
      memory.current.clear();
      load(key, 0, []);
    },
  };
}

/** The offset of the next page: the number of hits the server has sent so far. */
function offsetAfter(pages: ApiPage[]): number {
  return pages.reduce((sum, page) => sum + page.hits.length, 0);
}

function dedupe(hits: ApiHit[]): ApiHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => !seen.has(hit.id) && seen.add(hit.id));
}
