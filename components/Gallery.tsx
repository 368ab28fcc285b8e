"use client";
/**
 * The gallery: search state in the URL, pages of results through SWR (infinite scroll), image
 * queries by drop, paste or file picker, filters, the photo view and uploads. The first page comes
 * rendered from the server; later pages and new searches are fetched here.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import Link from "next/link";
import { useDropzone } from "react-dropzone";
import { useSearchParams } from "next/navigation";
import useSWRInfinite from "swr/infinite";
import { useBrowserEmbedder } from "@/lib/embedding/browser/use-browser-embedder";
import type { BrowserModelConfig } from "@/lib/embedding/browser/protocol";
import { errorText, format, type Language, type Messages } from "@/lib/i18n/messages";
import { ApiError, searchPage, type ApiHit, type ApiPage } from "@/lib/search/client";
import type { Filters } from "@/lib/search/request";
import { PAGE_SIZE, requestBody, viewFromParams, viewToSearch, type TextMode, type ViewState } from "@/lib/search/url-state";
import type { Facets } from "@/lib/store/types";
import { AccountButton } from "./AccountButton";
import { FilterBar } from "./FilterBar";
import { ImageChip } from "./ImageChip";
import { JustifiedGrid } from "./JustifiedGrid";
import { LanguageSwitch } from "./LanguageSwitch";
import { Lightbox } from "./Lightbox";
import { PhotoQueryActions } from "./query/PhotoQueryActions";
import { QueryChips } from "./query/QueryChips";
import { LessRelevant, RelevanceSummary } from "./query/RelevanceControls";
import { ReadinessNotice, type ReadinessView } from "./ReadinessNotice";
import { SearchBar } from "./SearchBar";
import { UploadButton } from "./UploadButton";

export interface GalleryProps {
  initialKey: string;
  initialPage?: ApiPage;
  initialError?: string;
  /** A standing problem to show above the results (e.g. the Elasticsearch text model is not started). */
  notice?: string;
  /** The server's readiness when the page was rendered: problems and model downloads are shown from the start. */
  readiness?: ReadinessView;
  facets?: Facets;
  t: Messages;
  lang: Language;
  modelConfig?: BrowserModelConfig;
  /** Who is looking: uploads and deletes are offered only to those who may make them. */
  access: { user?: string; authEnabled: boolean; canWrite: boolean };
}

let imageCounter = 0;
const subscribeToNothing = () => () => {};

export function Gallery({ initialKey, initialPage, initialError, notice, readiness, facets, t, lang, modelConfig, access }: GalleryProps) {
  const searchParams = useSearchParams();
  const view = useMemo(() => viewFromParams(searchParams), [searchParams]);
  const [image, setImage] = useState<{ blob: Blob; id: number }>();
  const [open, setOpen] = useState<number>();
  const [browserEmbedding, setBrowserEmbedding] = useState(false);
  const [filtersOpen, setFiltersOpen] = useState(false);
  // Marks the page interactive (listeners attached), for tests and for styling.
  const hydrated = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
  const embedder = useBrowserEmbedder(modelConfig ?? FALLBACK_MODEL);

  const navigate = useCallback((next: ViewState) => {
    window.history.pushState(null, "", viewToSearch(next) || window.location.pathname);
  }, []);
  const searchImage = useCallback(
    (blob: Blob) => {
      setImage({ blob, id: ++imageCounter });
      navigate({ filters: view.filters }); // an image query replaces text and "like"
    },
    [navigate, view.filters],
  );

  const body = requestBody(view);
  const vectorQuery = Boolean(browserEmbedding && modelConfig && view.q && (view.mode ?? "semantic") === "semantic" && !image);
  const key = JSON.stringify({ body, image: image?.id, vectorQuery });
  const { data, error, size, setSize, isValidating, mutate } = useSWRInfinite<ApiPage>(
    (index, previous: ApiPage | null) => (previous && !previous.hasMore ? null : [key, index]),
    async ([, index]: [string, number]) => {
      const paging = { k: PAGE_SIZE, offset: index * PAGE_SIZE };
      if (image) return searchPage({ ...paging, filters: body.filters }, image.blob);
      if (vectorQuery) {
        const { values, textModel } = await embedder.embed(view.q!);
        const ranking = { cutoff: body.cutoff, order: body.order }; // the same cut-off and order as the text query
        return searchPage({ vector: { model: textModel, values: Array.from(values) }, filters: body.filters, ...ranking, ...paging });
      }
      return searchPage({ ...body, ...paging });
    },
    {
      fallbackData: key === initialKey && initialPage ? [initialPage] : undefined,
      revalidateFirstPage: false,
      revalidateOnFocus: false,
    },
  );

  const hits = useMemo(() => dedupe(data?.flatMap((page) => page.hits) ?? []), [data]);
  const hasMore = data?.at(-1)?.hasMore ?? false;
  const understood = data?.[0];
  const loadingMore = isValidating && Boolean(data) && size > (data?.length ?? 0);
  const failure = error
    ? errorText(t, error instanceof ApiError ? error.code : "", (error as Error).message)
    : key === initialKey
      ? initialError
      : undefined;

  // Infinite scroll: load the next page when the sentinel comes near the viewport.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasMore) return;
    const observer = new IntersectionObserver((entries) => entries[0]?.isIntersecting && !isValidating && setSize((s) => s + 1), {
      rootMargin: "800px",
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasMore, isValidating, setSize]);

  // Paste an image from the clipboard anywhere on the page.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const file = Array.from(event.clipboardData?.files ?? []).find((f) => f.type.startsWith("image/"));
      if (file) {
        event.preventDefault();
        searchImage(file);
      }
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  }, [searchImage]);

  const { getRootProps, getInputProps, isDragActive } = useDropzone({
    onDrop: (files) => files[0] && searchImage(files[0]),
    accept: { "image/*": [] },
    multiple: false,
    noClick: true,
    noKeyboard: true,
  });

  const isBrowse = !view.q && !view.like && !image;
  const empty = data && hits.length === 0 && !failure;
  const libraryEmpty = empty && isBrowse && Object.keys(view.filters).length === 0;

  return (
    <div {...getRootProps({ className: "relative min-h-screen" })} data-hydrated={hydrated || undefined}>
      <input {...getInputProps()} data-testid="dropzone-input" />
      {isDragActive && (
        <div className="pointer-events-none fixed inset-0 z-40 flex items-center justify-center border-4 border-dashed border-sky-500 bg-sky-500/10 text-xl font-medium text-sky-700 dark:text-sky-300">
          {t.dropHint}
        </div>
      )}
      <header className="z-30 border-b md:sticky md:top-0 border-neutral-200 bg-white/90 backdrop-blur dark:border-neutral-800 dark:bg-neutral-950/90">
        <div className="mx-auto flex max-w-7xl flex-col gap-3 px-3 py-3 sm:px-4">
          <div className="flex items-center justify-between gap-3">
            <h1 className="text-lg font-semibold tracking-tight">
              <Link
                href="/"
                onClick={(e) => {
                  e.preventDefault();
                  setImage(undefined);
                  navigate({ filters: {} });
                }}
              >
                {t.title}
              </Link>
            </h1>
            <div className="flex items-center gap-2">
              {access.canWrite && <UploadButton t={t} onUploaded={() => void mutate()} />}
              <AccountButton user={access.user} authEnabled={access.authEnabled} t={t} />
              <LanguageSwitch lang={lang} t={t} />
            </div>
          </div>
          <SearchBar
            key={`${view.q ?? ""}|${view.mode ?? ""}`}
            initial={view.q ?? ""}
            mode={view.mode ?? "semantic"}
            t={t}
            onSearch={(q: string, mode: TextMode) => {
              setImage(undefined);
              navigate({ q: q || undefined, mode, filters: view.filters });
            }}
            onPickImage={searchImage}
            browserToggle={
              modelConfig && (
                <label className="flex items-center gap-1.5 text-sm text-neutral-600 dark:text-neutral-400" title={t.browserEmbeddingHint}>
                  <input
                    type="checkbox"
                    checked={browserEmbedding}
                    onChange={(e) => setBrowserEmbedding(e.target.checked)}
                    data-testid="browser-embedding"
                  />
                  {t.browserEmbedding}
                </label>
              )
            }
          />
          <div className="flex flex-wrap items-center gap-2">
            {image && (
              <ImageChip
                image={image.blob}
                t={t}
                onRemove={() => {
                  setImage(undefined);
                  navigate({ filters: view.filters });
                }}
              />
            )}
            <QueryChips query={understood?.query} view={view} t={t} onChange={navigate} />
            {view.like && !view.q && !image && (
              <span
                className="inline-flex items-center gap-2 rounded-full border border-neutral-300 py-1 pr-1 pl-3 text-sm dark:border-neutral-700"
                data-testid="like-chip"
              >
                {t.similarTo}
                <button
                  type="button"
                  aria-label={t.removeImage}
                  onClick={() => navigate({ filters: view.filters })}
                  className="rounded-full px-2 hover:bg-neutral-200 dark:hover:bg-neutral-800"
                >
                  ✕
                </button>
              </span>
            )}
          </div>
          <button
            type="button"
            aria-expanded={filtersOpen}
            aria-controls="filters"
            onClick={() => setFiltersOpen(!filtersOpen)}
            className="self-start text-sm text-sky-700 md:hidden dark:text-sky-400"
          >
            {t.filters} {Object.keys(view.filters).length > 0 && `(${Object.keys(view.filters).length})`} {filtersOpen ? "▴" : "▾"}
          </button>
          <div id="filters" className={filtersOpen ? "block" : "hidden md:block"}>
            <FilterBar filters={view.filters} facets={facets} t={t} onChange={(filters: Filters) => navigate({ ...view, filters })} />
          </div>
          {embedder.progress !== undefined && vectorQuery && (
            <p role="status" className="text-sm text-neutral-500">
              {format(t.modelLoading, { progress: embedder.progress })}
            </p>
          )}
        </div>
      </header>

      <main className="mx-auto max-w-7xl px-3 py-4 sm:px-4">
        {readiness && <ReadinessNotice initial={readiness} t={t} />}
        {notice && (
          <p
            role="note"
            data-testid="notice"
            className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
          >
            {notice}
          </p>
        )}
        {isBrowse && hits.length > 0 && <p className="mb-3 text-sm text-neutral-500">{t.browseAll}</p>}
        {!image && <RelevanceSummary relevant={understood?.relevant} view={view} t={t} onChange={navigate} />}
        {failure && (
          <div
            role="alert"
            data-testid="error"
            className="mb-4 rounded-lg border border-red-300 bg-red-50 p-4 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
          >
            <p className="font-medium">{t.errorTitle}</p>
            <p className="text-sm">{failure}</p>
            <button
              type="button"
              onClick={() => void mutate()}
              className="mt-2 rounded-md bg-red-600 px-3 py-1 text-sm text-white hover:bg-red-500"
            >
              {t.retry}
            </button>
          </div>
        )}
        {!data && !failure && (
          <p role="status" className="py-16 text-center text-neutral-500">
            {t.loading}
          </p>
        )}
        {empty && (
          <p role="status" className="py-16 text-center text-neutral-500" data-testid="empty">
            {libraryEmpty ? t.emptyLibrary : t.noResults}
          </p>
        )}
        <JustifiedGrid hits={hits} onOpen={setOpen} t={t} showScores={!isBrowse} />
        <div ref={sentinel} className="h-px" />
        {hasMore && (
          <div className="py-6 text-center">
            <button
              type="button"
              onClick={() => setSize(size + 1)}
              disabled={loadingMore}
              className="rounded-lg border border-neutral-300 px-4 py-2 text-sm hover:bg-neutral-100 disabled:opacity-50 dark:border-neutral-700 dark:hover:bg-neutral-800"
            >
              {loadingMore ? t.loading : t.loadMore}
            </button>
          </div>
        )}
        {!hasMore && (
          <LessRelevant relevant={understood?.relevant} lessRelevant={understood?.lessRelevant} view={view} t={t} onChange={navigate} />
        )}
        {!hasMore && hits.length > 0 && <p className="py-6 text-center text-sm text-neutral-400">{t.end}</p>}
      </main>

      {open !== undefined && hits[open] && (
        <Lightbox
          hits={hits}
          index={open}
          t={t}
          lang={lang}
          onClose={() => setOpen(undefined)}
          onMove={setOpen}
          onDeleted={
            access.canWrite
              ? () => {
                  setOpen(undefined);
                  void mutate();
                }
              : undefined
          }
          onSimilar={(id) => {
            setOpen(undefined);
            setImage(undefined);
            navigate({ like: id, filters: view.filters });
          }}
          actions={(id) => (
            <PhotoQueryActions
              t={t}
              onLikeBut={(text) => {
                setOpen(undefined);
                setImage(undefined);
                navigate({ like: id, q: text, filters: view.filters });
              }}
              onNotLike={
                view.q || view.like
                  ? () => {
                      setOpen(undefined);
                      navigate({ ...view, unlike: [...(view.unlike ?? []), id] });
                    }
                  : undefined
              }
            />
          )}
        />
      )}
    </div>
  );
}

const FALLBACK_MODEL: BrowserModelConfig = { clip: { modelId: "", dtype: "q8" }, modelHost: "", local: false, wasm: { mjs: "", wasm: "" } };

function dedupe(hits: ApiHit[]): ApiHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => !seen.has(hit.id) && seen.add(hit.id));
}
