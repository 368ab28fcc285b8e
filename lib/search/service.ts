/**
 * The search service: turns a validated request into a vector or text query on the store. Text is
 * embedded on the server unless the browser already sent a vector; images are decoded exactly as
 * ingest decodes them, so a photo used as a query finds itself.
 */
import { AppError, notFound } from "@/lib/errors";
import type { ImageEmbedder, QueryEmbedder } from "@/lib/embedding/types";
import { decodeImage, type DecodeLimits } from "@/lib/ingest/image";
import { assertSameModel } from "@/lib/store/index-model";
import type { Hit, Page, PhotoStore, SearchFilter } from "@/lib/store/types";
import { parseVector, singleVector } from "@/lib/vector";
import type { Filters, SearchRequest } from "./request";
import { reciprocalRankFusion } from "./rrf";

export type SearchMode = "semantic" | "text" | "hybrid" | "image" | "similar" | "vector" | "browse";

export interface SearchResult extends Page {
  mode: SearchMode;
  tookMs: number;
  /** For hybrid searches: where the two rankings were fused. */
  fusion?: "engine" | "app";
  /** For searches by text or a browser-made vector: the text model that embedded the query. */
  textModel?: string;
  /** For searches by text: the query's language, as detected or stated. */
  language?: string;
}

type Outcome = { mode: SearchMode; page: Page; fusion?: "engine" | "app"; textModel?: string; language?: string };

export interface SearchDeps {
  store: PhotoStore;
  text: QueryEmbedder;
  image: ImageEmbedder;
  limits: DecodeLimits;
}

export function toSearchFilter(filters: Filters | undefined, excludeIds: string[] = []): SearchFilter {
  return {
    takenAfter: filters?.from,
    takenBefore: filters?.to,
    near: filters?.near,
    box: filters?.box,
    folder: filters?.folder,
    excludeIds,
  };
}

export class SearchService {
  private indexChecked = false;

  constructor(private readonly deps: SearchDeps) {}

  async search(request: SearchRequest, image?: Buffer): Promise<SearchResult> {
    const started = performance.now();
    const { page, ...about } = await this.run(request, image);
    const defined = Object.fromEntries(Object.entries(about).filter(([, value]) => value !== undefined)) as Omit<Outcome, "page">;
    return { ...page, ...defined, tookMs: Math.round((performance.now() - started) * 10) / 10 };
  }

  private async run(request: SearchRequest, image?: Buffer): Promise<Outcome> {
    const { k, offset } = request;
    if (!(await this.hasIndex())) {
      if (request.like) throw notFound(`no photo with id ${request.like}`);
      return { mode: modeOf(request, image), page: { hits: [], hasMore: false } };
    }
    if (image) return { mode: "image", page: await this.byVector(await this.embedImage(image), request) };
    if (request.like) {
      const vector = await this.deps.store.getVector(request.like);
      if (!vector) throw notFound(`no photo with id ${request.like}`);
      const filter = toSearchFilter(request.filters, [request.like]);
      return { mode: "similar", page: await this.deps.store.searchVector({ vector, k, offset, filter }) };
    }
    if (request.vector) {
      const vector = this.checkBrowserVector(request.vector);
      return { mode: "vector", page: await this.byVector(vector, request), textModel: request.vector.model };
    }
    if (request.q === undefined)
      return { mode: "browse", page: await this.deps.store.browse({ k, offset, filter: toSearchFilter(request.filters) }) };
    const text = request.q;
    const mode = request.mode ?? "semantic";
    if (mode === "text")
      return { mode, page: await this.deps.store.searchText({ text, k, offset, filter: toSearchFilter(request.filters) }) };
    const { vector, textModel, language } = await this.deps.text.embedQuery(text, { textModel: request.textModel, lang: request.lang });
    if (mode === "semantic") return { mode, page: await this.byVector(vector, request), textModel, language };
    return { mode, ...(await this.hybrid(text, vector, request)), textModel, language };
  }

  private byVector(vector: Float32Array, request: SearchRequest): Promise<Page> {
    return this.deps.store.searchVector({ vector, k: request.k, offset: request.offset, filter: toSearchFilter(request.filters) });
  }

  /**
   * kNN and BM25 fused by reciprocal rank: inside the engine where it can (Elasticsearch's rrf
   * retriever), else here over the first offset + k of each ranking.
   */
  private async hybrid(text: string, vector: Float32Array, request: SearchRequest): Promise<{ page: Page; fusion: "engine" | "app" }> {
    const window = request.offset + request.k + 1;
    const filter = toSearchFilter(request.filters);
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

  /** Whether an index exists; the first time, also that it holds the configured model's vectors. */
  private async hasIndex(): Promise<boolean> {
    const model = await this.deps.store.indexModel();
    if (!model) return false;
    if (!this.indexChecked) {
      assertSameModel(model, this.deps.image.space);
      this.indexChecked = true;
    }
    return true;
  }
}

function modeOf(request: SearchRequest, image?: Buffer): SearchMode {
  if (image) return "image";
  if (request.like) return "similar";
  if (request.vector) return "vector";
  if (request.q === undefined) return "browse";
  return request.mode ?? "semantic";
}
