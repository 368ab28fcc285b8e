/**
 * The search service: turns a validated request into a vector or text query on the store. The query
 * text is understood first (lib/query: weighted and negative terms, a date range); terms and photos
 * are embedded and combined into one query vector; the ranking is cut at the relevant hits
 * (lib/relevance) and may be ordered by date (./ranking). Text is embedded on the server unless the
 * browser already sent a vector; images are decoded exactly as ingest decodes them, so a photo used
 * as a query finds itself.
 */
import { AppError, notFound } from "@/lib/errors";
import type { ImageEmbedder, QueryEmbedder } from "@/lib/embedding/types";
import { decodeImage, type DecodeLimits } from "@/lib/ingest/image";
import { hasPositiveTerms, positiveText, understandQuery, type ImageTerm, type UnderstoodQuery } from "@/lib/query";
import { relevantCount, type QueryKind } from "@/lib/relevance";
import { assertSameModel, sameModel } from "@/lib/store/index-model";
import type { Hit, Page, Photo, PhotoStore, Ranking, SearchFilter, VectorQuery } from "@/lib/store/types";
import { l2normalize, parseVector, singleVector } from "@/lib/vector";
import { demote, pageOf, RELEVANCE_WINDOW } from "./ranking";
import type { Filters, SearchRequest } from "./request";
import { reciprocalRankFusion } from "./rrf";

export type SearchMode = "semantic" | "text" | "hybrid" | "image" | "similar" | "composed" | "vector" | "browse";

/**
 * How negative terms act: `vector` subtracts them from the query vector (rclip), `demote` moves the
 * hits a negative term itself finds relevant to the end, `both` does both. `vector` is the default:
 * in the labelled evaluation (npm run bench:understanding, docs/search-understanding.md) it cut the
 * share of results showing the excluded label from 17% to 6% on COCO-mini, demotion alone to 15%,
 * and both together measured the same as `vector` at the cost of one more kNN per negative term.
 */
export type NegativeStrategy = "vector" | "demote" | "both";
export const DEFAULT_NEGATIVE_STRATEGY: NegativeStrategy = "vector";

export interface SearchResult extends Page {
  mode: SearchMode;
  tookMs: number;
  /** For hybrid searches: where the two rankings were fused. */
  fusion?: "engine" | "app";
  /** Meaning-based searches: how many hits of the whole ranking are judged relevant. */
  relevant?: number;
  /** With the cut-off on: how many less relevant hits can still be shown. */
  lessRelevant?: number;
  /** What was understood from the request. */
  query?: UnderstoodQuery;
  /** For searches by text or a browser-made vector: the text model that embedded the (first) query term. */
  textModel?: string;
  /** For searches by text: the query's language, as detected or stated. */
  language?: string;
}

export interface SearchDeps {
  store: PhotoStore;
  text: QueryEmbedder;
  image: ImageEmbedder;
  limits: DecodeLimits;
  negatives?: NegativeStrategy;
  now?: () => Date;
}

export function toSearchFilter(filters: Filters | undefined, excludeIds: string[] = []): SearchFilter {
  return {
    takenAfter: filters?.from,
    takenBefore: filters?.to,
    near: filters?.near,
    box: filters?.box,
    folder: filters?.folder,
    country: filters?.country,
    excludeIds,
  };
}

/** A date range typed into the query narrows the request's own dates (both apply). */
function withDateRange(filters: Filters | undefined, range: UnderstoodQuery["dateRange"]): Filters | undefined {
  if (!range) return filters;
  const from = filters?.from && filters.from > range.from ? filters.from : range.from;
  const to = filters?.to && filters.to < range.to ? filters.to : range.to;
  return { ...filters, from, to };
}

/** A place typed into the query filters like the map's own (a radius, a country); the request's own filter wins. */
function withPlace(filters: Filters | undefined, place: UnderstoodQuery["place"]): Filters | undefined {
  if (!place) return filters;
  return {
    ...filters,
    ...(place.near && !filters?.near ? { near: place.near } : {}),
    ...(place.country && !filters?.country ? { country: place.country } : {}),
  };
}

export interface WeightedVector {
  vector: Float32Array;
  weight: number;
  kind: QueryKind;
  /** The model that made the vector: the cut-off knows some models' cosines. */
  model: string;
}

type Outcome = {
  mode: SearchMode;
  page: Page & { relevant?: number; lessRelevant?: number };
  fusion?: "engine" | "app";
  textModel?: string;
  language?: string;
};

export class SearchService {
  private indexChecked = false;

  constructor(private readonly deps: SearchDeps) {}

  async search(request: SearchRequest, image?: Buffer): Promise<SearchResult> {
    const started = performance.now();
    const query = request.vector ? undefined : this.understand(request, image);
    const { page, ...about } = await this.run(request, query, image);
    const defined = Object.fromEntries(Object.entries(about).filter(([, value]) => value !== undefined)) as Omit<Outcome, "page">;
    return { ...page, ...defined, ...(query ? { query } : {}), tookMs: Math.round((performance.now() - started) * 10) / 10 };
  }

  private understand(request: SearchRequest, image?: Buffer): UnderstoodQuery {
    const weight = request.likeWeight ?? 1;
    const images: ImageTerm[] = image ? [{ upload: true, weight }] : request.like ? [{ id: request.like, weight }] : [];
    return understandQuery({
      text: request.q,
      images,
      notImages: (request.unlike ?? []).map((id) => ({ id, weight: 1 })),
      dates: request.dates,
      now: this.deps.now?.(),
    });
  }

  private async run(request: SearchRequest, query: UnderstoodQuery | undefined, image?: Buffer): Promise<Outcome> {
    const { k, offset } = request;
    if (!(await this.hasIndex())) {
      if (request.like) throw notFound(`no photo with id ${request.like}`);
      // Nothing to find, but a query that needs a model still needs it to load: if it cannot, the
      // answer is that error (model_unavailable), not an empty page that looks like "no match".
      await this.embedForNothing(request, image);
      return { mode: modeOf(request, image), page: { hits: [], hasMore: false } };
    }
    if (request.vector) {
      const vector = this.checkBrowserVector(request.vector);
      const model = request.vector.model;
      const terms = [{ vector, weight: 1, kind: "text" as const, model }];
      return { mode: "vector", page: await this.byMeaning(terms, [], request, toSearchFilter(request.filters)), textModel: model };
    }
    if (!query) throw new Error("a text or image query must have been understood");
    const filters = withPlace(withDateRange(request.filters, query.dateRange), query.place);
    const excluded = [...(request.like ? [request.like] : []), ...(request.unlike ?? [])];
    const filter = toSearchFilter(filters, excluded);
    if (!hasPositiveTerms(query)) return { mode: "browse", page: await this.deps.store.browse({ k, offset, filter }) };
    const mode = modeOf(request, image);
    if (mode === "text") return { mode, page: await this.deps.store.searchText({ text: positiveText(query), k, offset, filter }) };
    const { positive, negative, textModel, language } = await this.embedTerms(query, request, image);
    const about = { textModel, language };
    if (mode === "hybrid")
      return { mode, ...(await this.hybrid(positiveText(query), combine(positive, negative), request, filter)), ...about };
    return { mode, page: await this.byMeaning(positive, negative, request, filter), ...about };
  }

  /**
   * Embeds every text term (each routed to its language's text model) and reads or embeds every
   * photo term. The first text term names the text model and language the result reports.
   */
  private async embedTerms(query: UnderstoodQuery, request: SearchRequest, image?: Buffer) {
    const texts = [...query.positive, ...query.negative];
    const choice = { textModel: request.textModel, lang: request.lang };
    const embedded = await Promise.all(texts.map((term) => this.deps.text.embedQuery(term.text, choice)));
    const textTerm = (i: number, weight: number): WeightedVector => {
      const { vector, textModel } = embedded[i]!;
      return { vector, weight, kind: "text", model: textModel };
    };
    const imageTerm = async (term: ImageTerm): Promise<WeightedVector> => {
      const vector = term.upload && image ? await this.embedImage(image) : term.id ? await this.deps.store.getVector(term.id) : undefined;
      if (!vector) throw notFound(`no photo with id ${term.id}`);
      return { vector, weight: term.weight, kind: "image", model: this.deps.image.space.modelId };
    };
    return {
      textModel: embedded[0]?.textModel,
      language: embedded[0]?.language,
      positive: [
        ...query.positive.map((term, i) => textTerm(i, term.weight)),
        ...(await Promise.all(query.images.positive.map(imageTerm))),
      ],
      negative: [
        ...query.negative.map((term, i) => textTerm(query.positive.length + i, term.weight)),
        ...(await Promise.all(query.images.negative.map(imageTerm))),
      ],
    };
  }

  /**
   * A ranked window of candidates, negatives applied, cut at the relevant hits, in the requested
   * order. Every page of one query reads the same window, so pages never overlap or skip.
   */
  private async byMeaning(positive: WeightedVector[], negative: WeightedVector[], request: SearchRequest, filter: SearchFilter) {
    const strategy = this.deps.negatives ?? DEFAULT_NEGATIVE_STRATEGY;
    const vector = strategy === "demote" ? combine(positive, []) : combine(positive, negative);
    const deepRelevanceScroll = !request.cutoff && request.order === "relevance";
    const want = deepRelevanceScroll ? Math.max(RELEVANCE_WINDOW, request.offset + request.k + 1) : RELEVANCE_WINDOW;
    const [candidates, demoted] = await Promise.all([
      this.rank({ vector, k: want, offset: 0, filter }),
      strategy === "vector" ? new Set<string>() : this.matchedByNegatives(negative, filter),
    ]);
    const window = demote(candidates.hits.slice(0, RELEVANCE_WINDOW), demoted);
    const image = positive.find((term) => term.kind === "image");
    const lead = image ?? positive[0];
    const relevant = relevantCount(
      window.hits.slice(0, window.kept).map((hit) => hit.score),
      { kind: image ? "image" : "text", modelId: lead?.model },
    );
    const ranked = [...window.hits, ...candidates.hits.slice(RELEVANCE_WINDOW)];
    const page = pageOf(ranked, relevant, RELEVANCE_WINDOW, candidates.hasMore, request);
    const photos = await candidates.photos(page.hits.map((hit) => hit.photo.id));
    return {
      ...page,
      hits: page.hits.flatMap(({ photo: { id }, score }): Hit[] => {
        const photo = photos.get(id);
        return photo ? [{ photo, score }] : []; // deleted since it was ranked
      }),
    };
  }

  /**
   * The store's ranking of a vector query, and a way to read the photos of the hits that will be
   * shown: a window is ranked, a page of it is shown. Stores that rank without reading photos
   * (rankVector) read only the page's; the others return photos with every hit.
   */
  private async rank(query: VectorQuery): Promise<Ranking & { photos(ids: string[]): Promise<Map<string, Photo>> }> {
    const { store } = this.deps;
    if (store.rankVector && store.getMany) {
      const ranking = await store.rankVector(query);
      return { ...ranking, photos: (ids) => store.getMany!(ids) };
    }
    const page = await store.searchVector(query);
    const byId = new Map(page.hits.map((hit) => [hit.photo.id, hit.photo]));
    return { ...page, photos: async () => byId };
  }

  /** The photos each negative term itself judges relevant (the same cut-off, on its own ranking). */
  private async matchedByNegatives(negative: WeightedVector[], filter: SearchFilter): Promise<Set<string>> {
    const rankings = await Promise.all(negative.map((term) => this.rank({ vector: term.vector, k: RELEVANCE_WINDOW, offset: 0, filter })));
    const ids = new Set<string>();
    rankings.forEach((ranking, i) => {
      const { kind, model } = negative[i]!;
      const count = relevantCount(
        ranking.hits.map((hit) => hit.score),
        { kind, modelId: model },
      );
      for (const hit of ranking.hits.slice(0, count)) ids.add(hit.photo.id);
    });
    return ids;
  }

  /**
   * kNN and BM25 fused by reciprocal rank: inside the engine where it can (Elasticsearch's rrf
   * retriever), else here over the first offset + k of each ranking.
   */
  private async hybrid(
    text: string,
    vector: Float32Array,
    request: SearchRequest,
    filter: SearchFilter,
  ): Promise<{ page: Page; fusion: "engine" | "app" }> {
    const window = request.offset + request.k + 1;
    const fused = await this.deps.store.searchHybrid?.({ text, vector, k: request.k, offset: request.offset, filter });
    if (fused) return { page: fused, fusion: "engine" };
    const [semantic, lexical] = await Promise.all([
      this.deps.store.searchVector({ vector, k: window, offset: 0, filter }),
      this.deps.store.searchText({ text, k: window, offset: 0, filter }),
    ]);
    const ranked = reciprocalRankFusion<Hit>([semantic.hits, lexical.hits], (hit) => hit.photo.id);
    const hits = ranked.map(({ item, score }) => ({ photo: item.photo, score }));
    return {
      page: {
        hits: hits.slice(request.offset, request.offset + request.k),
        hasMore: hits.length > request.offset + request.k || semantic.hasMore || lexical.hasMore,
      },
      fusion: "app",
    };
  }

  private async embedImage(image: Buffer): Promise<Float32Array> {
    const decoded = await decodeImage(image, this.deps.limits);
    return singleVector(await this.deps.image.embedImages([decoded.embedInput]));
  }

  /** A browser vector must come from one of the configured text models (or name the space itself). */
  private checkBrowserVector(vector: { model: string; values: unknown[] }): Float32Array {
    const accepted = [...this.deps.text.textModelIds, this.deps.text.space.modelId];
    if (!accepted.includes(vector.model)) {
      throw new AppError(
        "model_mismatch",
        `vector.model is ${vector.model}, but this library searches with ${accepted.join(" or ")}; embed the query with one of them`,
      );
    }
    return parseVector(vector.values, this.deps.text.space.dims);
  }

  private async embedForNothing(request: SearchRequest, image?: Buffer): Promise<void> {
    if (image) await this.embedImage(image);
    else if (request.vector) this.checkBrowserVector(request.vector);
    else if (request.q !== undefined && request.mode !== "text") await this.deps.text.embedTexts([request.q]);
  }

  /**
   * Whether an index exists; the first time, also that it holds the configured model's vectors. An
   * index bound to another model but holding no photos counts as none: the next ingest rebinds it.
   */
  private async hasIndex(): Promise<boolean> {
    const { store, image } = this.deps;
    const model = await store.indexModel();
    if (!model) return false;
    if (!this.indexChecked) {
      if (!sameModel(model, image.space)) {
        if ((await store.count()) === 0) return false;
        assertSameModel(model, image.space, store.place);
      }
      this.indexChecked = true;
    }
    return true;
  }
}

/**
 * Σ weight × positive − Σ weight × negative, normalized (rclip's arithmetic on embeddings). When the
 * negatives all but cancel the positives ("dog - dog"), what is left is noise: the positives alone
 * are searched, and the demotion of what the negatives match still applies.
 */
export function combine(positive: WeightedVector[], negative: WeightedVector[]): Float32Array {
  const first = positive[0];
  if (!first) throw new Error("a meaning query needs a positive term");
  if (positive.length === 1 && negative.length === 0) return first.vector;
  const sum = new Float32Array(first.vector.length);
  const add = (term: WeightedVector, sign: number) => {
    for (let i = 0; i < sum.length; i++) sum[i]! += sign * term.weight * term.vector[i]!;
  };
  positive.forEach((term) => add(term, 1));
  negative.forEach((term) => add(term, -1));
  const norm = Math.hypot(...sum);
  const scale = positive.reduce((total, term) => total + term.weight, 0);
  if (negative.length > 0 && norm < CANCELLED * scale) return combine(positive, []);
  return l2normalize(sum);
}

/** A combined vector shorter than this share of the positive weights is treated as cancelled. */
const CANCELLED = 0.05;

function modeOf(request: SearchRequest, image?: Buffer): SearchMode {
  const photo = Boolean(image || request.like);
  if (photo && request.q !== undefined) return "composed";
  if (image) return "image";
  if (request.like) return "similar";
  if (request.vector) return "vector";
  if (request.q === undefined) return "browse";
  return request.mode ?? "semantic";
}
