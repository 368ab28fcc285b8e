/**
 * Text queries under load. Each query the server embeds costs one text-encoder run, and on two
 * cores the encoder, not the scan, limited text search (docs/benchmarks.md). Two remedies here,
 * wrapped around a text tower:
 *
 * - **Micro-batching.** A query that arrives while the encoder is busy waits for the run in
 *   flight and then goes in one run with every other waiting query (up to MAX_BATCH): one run of n
 *   short texts costs far less than n runs, so throughput grows with the load. An idle encoder
 *   starts a query at once: a single user waits for nothing.
 * - **A cache of recent query vectors**, keyed on the text model and the exact text, bounded
 *   (least recently used goes first): a repeated query (paging, a refresh, a popular search) is
 *   not embedded again.
 *
 * With an fp32 text model a batched query gets the vector it gets alone (up to float rounding).
 * A q8 model quantizes activations with one scale per tensor, so batch-mates move a vector
 * slightly (cosine ≥ 0.999, tested), as they already did for photos in an ingest batch.
 */
import type { ServerTower } from "@/lib/embedding/routed";

/** Queries embedded in one run at most: more would make the first wait for the last's tokens. */
const MAX_BATCH = 16;
/** Query vectors kept: 2,000 × 512 floats is 4 MB. */
export const QUERY_CACHE_ENTRIES = 2_000;

/** Recent query vectors by (text model, text), least recently used evicted first. */
export class QueryVectorCache {
  private readonly entries = new Map<string, Float32Array>();

  constructor(readonly capacity = QUERY_CACHE_ENTRIES) {}

  get size(): number {
    return this.entries.size;
  }

  get(model: string, text: string): Float32Array | undefined {
    const key = cacheKey(model, text);
    const vector = this.entries.get(key);
    if (!vector) return undefined;
    this.entries.delete(key); // re-inserted: a Map iterates in insertion order, so this marks it recent
    this.entries.set(key, vector);
    return vector.slice(); // callers may change their copy (negative terms are subtracted from it)
  }

  set(model: string, text: string, vector: Float32Array): void {
    const key = cacheKey(model, text);
    this.entries.delete(key);
    this.entries.set(key, vector.slice());
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** NUL cannot occur in a model id, so no (model, text) pair can be mistaken for another. */
function cacheKey(model: string, text: string): string {
  return `${model}\u0000${text}`;
}

interface Waiting {
  text: string;
  resolve: (vector: Float32Array) => void;
  reject: (error: unknown) => void;
}

/** A text tower whose queries are micro-batched and cached; everything else passes through. */
export class BatchingTower implements ServerTower {
  private readonly waiting: Waiting[] = [];
  private running = false;
  /** Encoder runs and the texts they embedded, for the tests and the bench. */
  readonly stats = { runs: 0, texts: 0, cacheHits: 0 };

  constructor(
    private readonly tower: ServerTower,
    private readonly cache = new QueryVectorCache(),
  ) {}

  get space() {
    return this.tower.space;
  }

  get textModelId(): string {
    return this.tower.textModelId;
  }

  warm(): Promise<void> {
    return this.tower.warm();
  }

  loadState() {
    return this.tower.loadState();
  }

  embedTexts(texts: string[]): Promise<Float32Array[]> {
    return Promise.all(texts.map((text) => this.embedOne(text)));
  }

  private embedOne(text: string): Promise<Float32Array> {
    const cached = this.cache.get(this.textModelId, text);
    if (cached) {
      this.stats.cacheHits++;
      return Promise.resolve(cached);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ text, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    // Let the queries of the same tick (one request's several texts, or a burst) join the first run.
    await Promise.resolve();
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      const texts = [...new Set(batch.map((w) => w.text))];
      try {
        const vectors = await this.tower.embedTexts(texts);
        this.stats.runs++;
        this.stats.texts += texts.length;
        const byText = new Map(texts.map((text, i) => [text, vectors[i]!]));
        for (const [text, vector] of byText) this.cache.set(this.textModelId, text, vector);
        for (const w of batch) w.resolve(byText.get(w.text)!.slice());
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.running = false;
  }
}
