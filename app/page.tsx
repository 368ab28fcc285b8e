import { cookies, headers } from "next/headers";
import { Suspense } from "react";
import { Gallery } from "@/components/Gallery";
import { redirect } from "next/navigation";
import { pageAccess } from "@/lib/auth";
import { appContext } from "@/lib/context";
import { browserModelConfig } from "@/lib/embedding/browser/config";
import { readiness } from "@/lib/health";
import { errorResponse } from "@/lib/http/respond";
import { format, LANGUAGES, pickLanguage } from "@/lib/i18n/messages";
import type { ApiPage } from "@/lib/search/client";
import { libraryFacets, type LibraryFacets } from "@/lib/search/facets";
import { photoMetadata } from "@/lib/search/photos";
import { parseSearchRequest } from "@/lib/search/request";
import { pageSizeFor, requestBody, resultsKey, viewFromParams } from "@/lib/search/url-state";
import { resultView, type PhotoView } from "@/lib/search/view";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

async function errorOf(error: unknown): Promise<{ code: string; message: string }> {
  return ((await errorResponse(error).json()) as { error: { code: string; message: string } }).error;
}

/**
 * Renders the first page of results for the URL on the server (the gallery does not fetch it
 * again), the facets for the filters (even when the search fails) and the photo named by ?photo=;
 * the gallery takes over from there. An image query lives in the browser, so the client runs it.
 */
export default async function Home({ searchParams }: Props) {
  const lang = pickLanguage((await cookies()).get("lang")?.value, (await headers()).get("accept-language"));
  const access = await pageAccess();
  if (access.signInRequired) redirect("/signin");
  const view = viewFromParams(await searchParams);
  const body = requestBody(view);
  const { search, store, cfg, embedders } = appContext();
  let initialPage: ApiPage | undefined;
  let initialError: { code: string; message: string } | undefined;
  if (!view.image) {
    try {
      const result = await search.search(parseSearchRequest({ ...body, k: pageSizeFor(view), offset: 0 }));
      // As the API answers (the understood query and relevance included): the gallery does not fetch it again.
      initialPage = resultView(result);
    } catch (error) {
      initialError = await errorOf(error);
    }
  }
  const facets: LibraryFacets | undefined = await libraryFacets(store).catch(() => undefined);
  const initialPhoto: PhotoView | undefined = view.photo ? await photoMetadata(view.photo).catch(() => undefined) : undefined;
  const t = LANGUAGES[lang];
  const ready = await readiness();
  // Like the tutorial's Flask demo: say so when the Elasticsearch text model is not ready.
  const deployment = embedders.text.deployment ? await embedders.text.deployment() : undefined;
  const notice =
    deployment && deployment.state !== "started"
      ? `${format(t.modelNotice, { model: deployment.modelId, state: deployment.state, detail: deployment.detail ?? "" })}${cfg.textEmbedder.fallback === "server" ? ` ${t.modelFallback}` : ""}`
      : undefined;
  return (
    <Suspense>
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
        access={{
          user: access.viewer?.via === "open" ? undefined : access.viewer?.name,
          authEnabled: access.authEnabled,
          canWrite: access.canWrite,
        }}
      />
    </Suspense>
  );
}
