"use client";
/**
 * The gallery: search state in the URL (text, image, "more like", filters, order and the open
 * photo), pages of results with infinite scroll, image queries by drop, paste or file picker,
 * filters as chips, the photo view and uploads. The first page comes rendered from the server and
 * is not fetched again; later pages and new searches are fetched here.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useDropzone } from "react-dropzone";
import { useBrowserEmbedder } from "@/lib/embedding/browser/use-browser-embedder";
import type { BrowserModelConfig } from "@/lib/embedding/browser/protocol";
import { format, type Language } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";
import { loadQueryImage, saveQueryImage } from "@/lib/query-image";
import { ApiError, fetchFacets, searchPage, type ApiPage } from "@/lib/search/client";
import type { Filters } from "@/lib/search/request";
import {
  isBrowsing,
  pageSizeFor,
  requestBody,
  resultsKey,
  showsTimeline,
  viewToSearch,
  type TextMode,
  type ViewState,
} from "@/lib/search/url-state";
import type { PhotoView } from "@/lib/search/view";
import type { LibraryFacets } from "@/lib/search/facets";
import { AccountButton } from "./AccountButton";
import { FilterBar } from "./FilterBar";
import { FilterChips } from "./filters/FilterChips";
import { ErrorNotice } from "./gallery/ErrorNotice";
import { LikeChip } from "./gallery/LikeChip";
import { OptionsMenu } from "./gallery/OptionsMenu";
import { ResultSummary } from "./gallery/ResultSummary";
import { Results } from "./gallery/Results";
import { SkipLink } from "./gallery/SkipLink";
import { useInfiniteScroll } from "./gallery/use-infinite-scroll";
import { rememberPhoto, usePhoto } from "./gallery/use-photo";
import { useResultPages } from "./gallery/use-result-pages";
import { useUrlView, writeUrl } from "./gallery/use-url-view";
import { useOnFirstInteraction } from "./gallery/use-on-first-interaction";
import { YearJump } from "./gallery/YearJump";
import { ImageChip } from "./ImageChip";
import { LanguageSwitch } from "./LanguageSwitch";
import type { MapTiles } from "./places/base-layer";
import { MapToggle } from "./places/MapToggle";
import { PhotoQueryActions } from "./query/PhotoQueryActions";
import { QueryChips } from "./query/QueryChips";
import { LessRelevant, RelevanceSummary } from "./query/RelevanceControls";
import { ReadinessNotice, type ReadinessView } from "./ReadinessNotice";
import { SearchBar } from "./SearchBar";
import { UploadButton } from "./UploadButton";

export interface GalleryProps {
  initialKey: string;
  initialPage?: ApiPage;
  initialError?: { code: string; message: string };
  /** The photo named by ?photo= in the URL the page was rendered for. */
  initialPhoto?: PhotoView;
  /** A standing problem to show above the results (e.g. the Elasticsearch text model is not started). */
  notice?: string;
  /** The server's readiness when the page was rendered: problems and model downloads are shown from the start. */
  readiness?: ReadinessView;
  facets?: LibraryFacets;
  t: Messages;
  lang: Language;
  modelConfig?: BrowserModelConfig;
  /** Who is looking: uploads and deletes are offered only to those who may make them. */
  access: { user?: string; authEnabled: boolean; canWrite: boolean };
  /** The map's tiles (MAP_TILE_URL), or the shipped outlines. */
  mapTiles?: MapTiles;
  /** The server rendered a phone's first screens only (PHONE_FIRST_PAGE_SIZE): more wait for the user. */
  phone?: boolean;
}

// Leaflet touches `window` when loaded: the map loads in the browser only.
const PlaceMap = dynamic(() => import("./places/PlaceMap"), { ssr: false });
// The photo view is not part of the first paint: its code loads apart (still rendered on the server
// for a shared ?photo= link), and is fetched at the first sign of a user (a pointer moving, a touch,
// a key), before the click that opens a photo.
const loadLightbox = () => import("./Lightbox");
const Lightbox = dynamic(() => loadLightbox().then((m) => m.Lightbox));

export function Gallery({
  initialKey,
  initialPage,
  initialError,
  initialPhoto,
  notice,
  readiness,
  facets: serverFacets,
  t,
  lang,
  modelConfig,
  access,
  mapTiles = NO_TILES,
  phone = false,
}: GalleryProps) {
  const view = useUrlView();
  const [browserEmbedding, setBrowserEmbedding] = useState(false);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [rejected, setRejected] = useState<string>();
  const [facets, setFacets] = useState(serverFacets);
  const embedder = useBrowserEmbedder(modelConfig ?? FALLBACK_MODEL);
  useOnFirstInteraction(loadLightbox);

  // The map stays open across searches unless a change says otherwise.
  const mapOpen = useRef(view.map);
  useEffect(() => {
    mapOpen.current = view.map;
  }, [view.map]);
  /** A new history entry for a new search; the photo view's moves replace its entry instead. */
  const navigate = useCallback((next: ViewState, how: { replace?: boolean; photoView?: boolean } = {}) => {
    const url = viewToSearch("map" in next ? next : { ...next, map: mapOpen.current }) || window.location.pathname;
    writeUrl(url, how);
  }, []);
  const searchImage = useCallback(
    async (blob: Blob) => {
      setRejected(undefined);
      const id = await saveQueryImage(blob).catch(() => undefined);
      if (!id) return;
      // A new image starts a new query (it replaces text and "like"); words typed next join it.
      navigate({ image: id, order: view.order, filters: view.filters });
    },
    [navigate, view.order, view.filters],
  );

  const isBrowse = isBrowsing(view);
  const timeline = showsTimeline(view);
  const vectorQuery = Boolean(browserEmbedding && modelConfig && view.q && (view.mode ?? "semantic") === "semantic" && !view.image);
  const key = resultsKey(view, vectorQuery);
  const body = requestBody(view);
  const pageSize = pageSizeFor(view);
  const results = useResultPages(
    key,
    async (offset, signal) => {
      const paging = { k: pageSize, offset };
      let page: ApiPage;
      if (view.image) {
        const blob = await loadQueryImage(view.image).catch(() => undefined);
        if (!blob) throw new ApiError("image_gone", "the query image is not stored in this browser", 0);
        page = await searchPage({ ...body, ...paging }, blob, signal); // with its words, weight and "not like" photos
      } else if (vectorQuery) {
        const { values, textModel } = await embedder.embed(view.q!);
        const ranking = { cutoff: body.cutoff, order: body.order }; // the same cut-off and order as the text query
        page = await searchPage(
          { vector: { model: textModel, values: Array.from(values) }, filters: body.filters, ...ranking, ...paging },
          undefined,
          signal,
        );
      } else page = await searchPage({ ...body, ...paging }, undefined, signal);
      return page;
    },
    {
      key: initialKey,
      page: initialPage,
      error: initialError && new ApiError(initialError.code, initialError.message, 0),
    },
  );
  const { hits } = results;
  const understood = results.first;

  // The place and folder menus keep their options whatever happens to a search.
  const reloadFacets = useCallback(() => fetchFacets().then(setFacets, () => undefined), []);
  useEffect(() => {
    if (!serverFacets) void reloadFacets();
  }, [serverFacets, reloadFacets]);

  const sentinel = useInfiniteScroll(results.hasMore && !results.loading, results.loadMore, phone);

  // Paste an image from the clipboard anywhere on the page.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const file = Array.from(event.clipboardData?.files ?? []).find((f) => f.type.startsWith("image/"));
      if (file) {
        event.preventDefault();
        void searchImage(file);
      }
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  }, [searchImage]);

  const { getRootProps, getInputProps, isDragActive, rootRef } = useDropzone({
    onDrop: (files) => files[0] && void searchImage(files[0]),
    onDropRejected: (rejections) => setRejected(rejections[0]?.file.name ?? ""),
    accept: { "image/*": [] },
    multiple: false,
    noClick: true,
    noKeyboard: true,
  });
  // Marks the page interactive (listeners attached) for the tests, on the element itself: state
  // that differs between the server's render and the browser's (a hydrated flag in state) makes
  // React render the whole gallery again, synchronously, right after hydration.
  useEffect(() => {
    rootRef.current?.setAttribute("data-hydrated", "");
  }, [rootRef]);

  // The photo view lives in the URL: opening it adds a history entry (Back closes it), moving replaces it.
  const openPhoto = useCallback(
    (id: string) => {
      const hit = hits.find((h) => h.id === id);
      if (hit) rememberPhoto(hit.photo);
      navigate({ ...view, photo: id }, { photoView: true });
    },
    [hits, navigate, view],
  );
  const closePhoto = useCallback(() => {
    if (window.history.state?.photoView) window.history.back();
    else navigate({ ...view, photo: undefined }, { replace: true });
  }, [navigate, view]);
  const shownPhoto = usePhoto(view.photo, hits, initialPhoto);
  const photoIndex = view.photo ? hits.findIndex((hit) => hit.id === view.photo) : -1;
  const likePhoto = usePhoto(view.like, [], undefined);

  const failure = results.error;
  const empty = results.loaded && results.current && hits.length === 0 && !failure;
  const filtered = Object.keys(view.filters).length > 0;
  // The library's own count decides, whatever the query (an empty library searched for "dog" says
  // how to add photos); before the facets arrive, only a plain browse can tell.
  const libraryEmpty = empty && (facets ? facets.photos === 0 : isBrowse && !filtered);
  const libraryTotal = facets?.photos;
  const knownTotal = !results.hasMore
    ? hits.length
    : understood?.relevant !== undefined && !view.all
      ? // With the cut-off on, the results are the relevant ones, counted over the whole ranking (not
        // the first page, which a phone gets short).
        understood.relevant
      : isBrowse && !filtered
        ? libraryTotal
        : isBrowse && Object.keys(view.filters).join() === "folder"
          ? facets?.folders.find((f) => f.folder === view.filters.folder)?.count
          : undefined;
  // Only years that hold photos, from the store (an empty year would jump to an older one's photos).
  const years = isBrowse ? (facets?.years ?? []) : [];
  const setFilters = (filters: Filters) => navigate({ ...view, photo: undefined, filters });

  return (
    <div {...getRootProps({ className: "relative min-h-screen" })}>
      <SkipLink label={t.skipToPhotos} />
      {isDragActive && (
        <div className="pointer-events-none fixed inset-0 z-40 flex items-center justify-center border-4 border-dashed border-sky-600 bg-sky-500/10 text-xl font-medium text-sky-900 dark:text-sky-100">
          {t.dropHint}
        </div>
      )}
      <header className="sticky top-0 z-30 border-b border-neutral-200 bg-white/95 backdrop-blur dark:border-neutral-800 dark:bg-neutral-950/95">
        <div className="mx-auto flex max-w-7xl flex-col gap-2 px-3 py-2 sm:gap-3 sm:px-4 sm:py-3">
          <div className="flex items-center justify-between gap-3">
            <h1 className="text-lg font-semibold tracking-tight whitespace-nowrap">
              <Link
                href="/"
                // The click is handled here (the search is the URL's state): Next's prefetch of "/"
                // would be a request, and its response's processing, in every page's load for nothing.
                prefetch={false}
                className="inline-flex min-h-11 items-center"
                onClick={(e) => {
                  e.preventDefault();
                  navigate({ filters: {} });
                }}
              >
                {t.title}
              </Link>
            </h1>
            <div className="flex shrink-0 items-center gap-2">
              {access.canWrite && (
                <UploadButton
                  t={t}
                  onUploaded={() => {
                    results.reload();
                    void reloadFacets();
                  }}
                  onView={(id) => navigate({ ...view, photo: id }, { photoView: true })}
                />
              )}
              <AccountButton user={access.user} authEnabled={access.authEnabled} t={t} />
              <LanguageSwitch lang={lang} t={t} />
            </div>
          </div>
          <SearchBar
            key={`${view.q ?? ""}|${view.mode ?? ""}|${view.image ?? ""}`}
            initial={view.q ?? ""}
            mode={view.mode ?? "semantic"}
            withImage={Boolean(view.image)}
            t={t}
            onSearch={(q: string, mode: TextMode) =>
              navigate(
                view.image
                  ? // Words join the image query: one composed query, searched by meaning.
                    {
                      q: q || undefined,
                      image: view.image,
                      likeWeight: view.likeWeight,
                      unlike: view.unlike,
                      order: view.order,
                      filters: view.filters,
                    }
                  : { q: q || undefined, mode, order: view.order, filters: view.filters },
              )
            }
            onPickImage={(file) => void searchImage(file)}
          />
          <div className="flex flex-wrap items-center gap-2">
            {view.image && !view.q && <ImageChip imageId={view.image} t={t} onRemove={() => navigate({ filters: view.filters })} />}
            {view.like && !view.q && !view.image && (
              <LikeChip id={view.like} name={likePhoto?.name} t={t} onRemove={() => navigate({ filters: view.filters })} />
            )}
            <QueryChips query={understood?.query} view={view} t={t} onChange={navigate} />
            <FilterChips filters={view.filters} onChange={setFilters} t={t} lang={lang} />
            <MapToggle
              open={Boolean(view.map)}
              t={t}
              // Closing the map drops its area: what is not on screen does not restrict the search.
              onToggle={() =>
                navigate({
                  ...view,
                  photo: undefined,
                  map: !view.map || undefined,
                  filters: view.map ? { ...view.filters, box: undefined } : view.filters,
                })
              }
            />
            <button
              type="button"
              aria-expanded={filtersOpen}
              aria-controls="filters"
              onClick={() => setFiltersOpen(!filtersOpen)}
              className="min-h-11 rounded-md px-2 text-sm text-sky-800 md:hidden dark:text-sky-300"
            >
              {t.filters} {filtered && `(${Object.keys(view.filters).length})`} {filtersOpen ? "▴" : "▾"}
            </button>
          </div>
          <div id="filters" className={`${filtersOpen ? "flex" : "hidden md:flex"} flex-wrap items-end justify-between gap-3`}>
            <FilterBar
              key={JSON.stringify(view.filters.near ?? null)}
              filters={view.filters}
              facets={facets}
              t={t}
              lang={lang}
              onChange={setFilters}
            />
            <OptionsMenu
              t={t}
              browserEmbedding={browserEmbedding}
              onBrowserEmbedding={
                modelConfig &&
                ((on) => {
                  setBrowserEmbedding(on);
                  if (on) embedder.warm(view.q ?? (lang === "zh" ? "照片" : "a photo"));
                })
              }
              progress={embedder.progress}
            />
          </div>
        </div>
      </header>

      <main className="mx-auto max-w-7xl px-3 py-4 sm:px-4">
        {readiness && <ReadinessNotice initial={readiness} t={t} />}
        <input {...getInputProps()} data-testid="dropzone-input" />
        {view.map && (
          <PlaceMap
            box={view.filters.box}
            near={view.filters.near}
            filters={view.filters}
            hits={isBrowse ? undefined : hits}
            tiles={mapTiles}
            t={t}
            lang={lang}
            onArea={(change) => setFilters({ ...view.filters, ...change })}
          />
        )}
        {notice && (
          <p
            role="note"
            data-testid="notice"
            className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
          >
            {notice}
          </p>
        )}
        {rejected !== undefined && (
          <div
            role="alert"
            data-testid="rejected"
            className="mb-4 flex items-start justify-between gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
          >
            <p>{format(t.notAnImage, { name: rejected || "?" })}</p>
            <button
              type="button"
              aria-label={t.dismiss}
              onClick={() => setRejected(undefined)}
              className="h-9 w-9 shrink-0 rounded-md hover:bg-amber-100 dark:hover:bg-amber-900"
            >
              ✕
            </button>
          </div>
        )}
        <RelevanceSummary relevant={understood?.relevant} view={view} t={t} onChange={navigate} />
        {failure && !results.loading && (
          <ErrorNotice
            code={failure.code}
            detail={failure.code === "image_gone" ? undefined : failure.message}
            onRetry={failure.code === "image_gone" ? undefined : results.retry}
            t={t}
          />
        )}
        {results.loading && !results.current && (
          <p role="status" className="sr-only">
            {t.updating}
          </p>
        )}
        {!results.loaded && !failure && hits.length === 0 && (
          <p role="status" className="py-16 text-center text-neutral-600 dark:text-neutral-400">
            {t.loading}
          </p>
        )}
        {empty && (
          <p role="status" className="py-16 text-center text-neutral-600 dark:text-neutral-400" data-testid="empty">
            {libraryEmpty ? t.emptyLibrary : t.noResults}
          </p>
        )}
        {hits.length > 0 && (
          <div
            aria-busy={!results.current}
            data-stale={!results.current || undefined}
            className="transition-opacity duration-200 data-stale:opacity-40"
            data-testid="results"
          >
            <ResultSummary
              count={knownTotal ?? hits.length}
              exact={knownTotal !== undefined}
              isBrowse={isBrowse}
              order={view.order ?? "relevance"}
              t={t}
              lang={lang}
            />
            <YearJump
              years={years}
              current={view.filters.to?.endsWith("-12-31") ? Number(view.filters.to.slice(0, 4)) : undefined}
              onJump={(year) => setFilters({ ...view.filters, to: year ? `${year}-12-31` : undefined })}
              t={t}
              lang={lang}
            />
            {/* The skip link's target: the next Tab reaches the first photo. */}
            <div id="photos" tabIndex={-1} className="outline-none">
              <Results
                hits={hits}
                timeline={timeline}
                relevantFirst={view.all && !isBrowse ? understood?.relevant : undefined}
                holdLastRow={results.hasMore}
                showScores={!isBrowse}
                onOpen={(index) => hits[index] && openPhoto(hits[index].id)}
                t={t}
                lang={lang}
              />
            </div>
          </div>
        )}
        {/* The skip link's target exists on every screen (axe counts a link to nothing as content outside landmarks). */}
        {hits.length === 0 && <div id="photos" tabIndex={-1} className="outline-none" />}
        <div ref={sentinel} className="h-px" />
        {results.hasMore && (
          // For keyboards and screen readers; scrolling loads on its own. Invisible until focused, so it never shifts.
          <button
            type="button"
            onClick={results.loadMore}
            className="sr-only focus:not-sr-only focus:mx-auto focus:my-4 focus:block focus:rounded-lg focus:border focus:px-4 focus:py-2"
          >
            {t.loadMore}
          </button>
        )}
        {results.loading && results.current && hits.length > 0 && (
          <p
            role="status"
            className="pointer-events-none fixed bottom-4 left-1/2 z-20 -translate-x-1/2 rounded-full bg-neutral-900/85 px-4 py-2 text-sm text-white"
          >
            {t.loading}
          </p>
        )}
        {!results.hasMore && results.current && (
          <LessRelevant relevant={understood?.relevant} lessRelevant={understood?.lessRelevant} view={view} t={t} onChange={navigate} />
        )}
        {!results.hasMore && results.current && hits.length > 0 && (
          <p className="py-6 text-center text-sm text-neutral-600 dark:text-neutral-400">{t.end}</p>
        )}
      </main>

      {view.photo && shownPhoto && (
        <Lightbox
          photo={shownPhoto}
          index={photoIndex}
          count={hits.length}
          t={t}
          lang={lang}
          mapTiles={mapTiles}
          onClose={closePhoto}
          onMove={(index) => hits[index] && navigate({ ...view, photo: hits[index].id }, { replace: true })}
          onDeleted={
            access.canWrite
              ? () => {
                  closePhoto();
                  results.reload();
                  void reloadFacets();
                }
              : undefined
          }
          onSimilar={(id) => {
            rememberPhoto(shownPhoto);
            navigate({ like: id, filters: view.filters });
          }}
          actions={(id) => (
            <PhotoQueryActions
              t={t}
              onLikeBut={(text) => navigate({ like: id, q: text, filters: view.filters })}
              onNotLike={
                view.q || view.like || view.image
                  ? () => navigate({ ...view, photo: undefined, unlike: [...(view.unlike ?? []), id] })
                  : undefined
              }
            />
          )}
        />
      )}
    </div>
  );
}

const NO_TILES: MapTiles = { attribution: "" };

const FALLBACK_MODEL: BrowserModelConfig = { clip: { modelId: "", dtype: "q8" }, modelHost: "", local: false, wasm: { mjs: "", wasm: "" } };
