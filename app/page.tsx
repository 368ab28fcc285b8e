import { cookies, headers } from "next/headers";
import { Gallery } from "@/components/Gallery";
import { redirect } from "next/navigation";
import { pageAccess } from "@/lib/auth";
import { appContext } from "@/lib/context";
import { browserModelConfig } from "@/lib/embedding/browser/config";
import { readiness } from "@/lib/health";
import { isPhoneRequest } from "@/lib/http/device";
import { errorResponse } from "@/lib/http/respond";
import { format, LANGUAGES, pickLanguage } from "@/lib/i18n/messages";
import type { ApiPage } from "@/lib/search/client";
import { libraryFacets, type LibraryFacets } from "@/lib/search/facets";
import { photoMetadata } from "@/lib/search/photos";
import { parseSearchRequest } from "@/lib/search/request";
import { firstPageSizeFor, requestBody, resultsKey, viewFromParams } from "@/lib/search/url-state";
import { resultView, type PhotoView } from "@/lib/search/view";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

async function errorOf(error: unknown): Promise<{ code: string; message: string }> {
  return ((await errorResponse(error).json()) as { error: { code: string; message: string } }).error;
}

/** The first page of results as the API answers it (the understood query and relevance included), or its error. */
async function firstPage(
  search: ReturnType<typeof appContext>["search"],
  body: ReturnType<typeof requestBody>,
  k: number,
): Promise<{ page?: ApiPage; error?: { code: string; message: string } }> {
  try {
    return { page: resultView(await search.search(parseSearchRequest({ ...body, k, offset: 0 }))) };
  } catch (error) {
    return { error: await errorOf(error) };
  }
}

/**
 * Renders the first page of results for the URL on the server (the gallery does not fetch it
 * again), the facets for the filters (even when the search fails) and the photo named by ?photo=;
 * the gallery takes over from there. An image query lives in the browser, so the client runs it.
 */
export default async function Home({ searchParams }: Props) {
  const requestHeaders = await headers();
  const lang = pickLanguage((await cookies()).get("lang")?.value, requestHeaders.get("accept-language"));
  const access = await pageAccess();
  if (access.signInRequired) redirect("/signin");
  const view = viewFromParams(await searchParams);
  const body = requestBody(view);
  const phone = isPhoneRequest(requestHeaders);
  const { search, store, cfg, embedders } = appContext();
  // The first page, the facets, the photo and the text model's state are independent: asked for
  // together, the page waits for the slowest of them, not for their sum.
  const [first, facets, initialPhoto, deployment] = await Promise.all([
    view.image ? undefined : firstPage(search, body, firstPageSizeFor(view, phone)),
    libraryFacets(store).catch((): LibraryFacets | undefined => undefined),
    view.photo ? photoMetadata(view.photo).catch((): PhotoView | undefined => undefined) : undefined,
    // Like the tutorial's Flask demo: say so when the Elasticsearch text model is not ready.
    embedders.text.deployment ? embedders.text.deployment() : undefined,
  ]);
  const { page: initialPage, error: initialError } = first ?? {};
  // Readiness after the search: the models it loaded are then reported as loaded, not loading.
  const ready = await readiness();
  const t = LANGUAGES[lang];
  const notice =
    deployment && deployment.state !== "started"
      ? `${format(t.modelNotice, { model: deployment.modelId, state: deployment.state, detail: deployment.detail ?? "" })}${cfg.textEmbedder.fallback === "server" ? ` ${t.modelFallback}` : ""}`
      : undefined;
  // No Suspense boundary around the gallery: React would stream it as a hidden segment and reveal it
  // by script, throttled to 300 ms after the first frame and delayed behind the JavaScript that is
  // then running; in the shell, the photos paint as soon as the HTML and CSS are in.
  return (
    <Gallery
      initialKey={resultsKey(view, false)}
      initialPage={initialPage}
      initialError={initialError}
      initialPhoto={initialPhoto}
      facets={facets}
      t={t}
      notice={notice}
      readiness={{ reasons: ready.reasons, problems: ready.problems, models: ready.models }}
      lang={lang}
      modelConfig={browserModelConfig(cfg)}
      mapTiles={cfg.map}
      phone={phone}
      access={{
        user: access.viewer?.via === "open" ? undefined : access.viewer?.name,
        authEnabled: access.authEnabled,
        canWrite: access.canWrite,
      }}
    />
  );
}
