/**
 * The soak workload, shared by the bench's section 7 (`npm run bench -- --only soak`, 5 minutes)
 * and e2e/soak.spec.ts (CI's 20-second form): concurrent searches of every kind (semantic, text,
 * hybrid, more like this, paging with thumbnails) and, unless `uploads` is false, an upload every
 * 200 ms, against a running server. Counts requests and failures, times searches, samples the
 * server's RSS from /api/health. Only node built-ins and fetch: Playwright imports it too.
 */
import fs from "node:fs";
import path from "node:path";

const WORDS = ["dog", "snow", "a red bus", "people on a beach", "披萨", "雪山", "kitchen", "boat", "a child playing", "street at night"];

export interface SoakOptions {
  base: string;
  seconds: number;
  searchers?: number;
  /** Photo files to upload, one every 200 ms, with this API token; none: searches only. */
  uploads?: { files: string[]; token: string };
}

export interface SoakResult {
  seconds: number;
  requests: number;
  searches: number;
  uploads: number;
  statuses: Record<string, number>;
  failures: string[];
  searchMs: { p50: number; p95: number; p99: number };
  rssMb: { before: number; peak: number; after: number };
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export async function rssMb(base: string): Promise<number> {
  return ((await (await fetch(`${base}/api/health`)).json()) as { memory: { rssMb: number } }).memory.rssMb;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { base, seconds } = options;
  const ids = ((await (await fetch(`${base}/api/search?k=50`)).json()) as { hits: { id: string }[] }).hits.map((h) => h.id);
  // Every path once before measuring: a query in each language starts its text tower's thread and
  // loads its model, a one-time cost the memory bound must not read as growth.
  for (const q of ["warm up", "热身"]) await fetch(`${base}/api/search?q=${encodeURIComponent(q)}&mode=hybrid`);
  const before = await rssMb(base);
  let peak = before;
  const deadline = Date.now() + seconds * 1000;
  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  const searchTimes: number[] = [];
  let requests = 0;
  let uploads = 0;
  const record = async (what: string, response: Promise<Response>) => {
    requests++;
    try {
      const r = await response;
      await r.arrayBuffer();
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status >= 300) failures.push(`${what}: ${r.status}`);
    } catch (error) {
      failures.push(`${what}: ${(error as Error).message}`);
    }
  };
  const searcher = async () => {
    while (Date.now() < deadline) {
      const kind = Math.floor(Math.random() * 5);
      const body = [{ q: pick(WORDS) }, { q: pick(WORDS), mode: "hybrid" }, { q: pick(WORDS), mode: "text" }, { like: pick(ids) }][
        kind
      ] ?? {
        offset: 30,
        k: 30,
      };
      const started = performance.now();
      await record(
        "search",
        fetch(`${base}/api/search`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      );
      searchTimes.push(performance.now() - started);
      if (kind === 4) await record("thumbnail", fetch(`${base}/api/photos/${pick(ids)}/thumbnail`));
    }
  };
  const uploader = async () => {
    for (const file of options.uploads?.files ?? []) {
      if (Date.now() >= deadline) break;
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(fs.readFileSync(file))]), path.basename(file));
      uploads++;
      await record(
        "upload",
        fetch(`${base}/api/photos`, { method: "POST", body: form, headers: { authorization: `Bearer ${options.uploads!.token}` } }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const sampler = async () => {
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      peak = Math.max(peak, await rssMb(base).catch(() => peak));
    }
  };
  await Promise.all([...Array.from({ length: options.searchers ?? 6 }, searcher), uploader(), sampler()]);
  const after = await rssMb(base);
  const sorted = searchTimes.sort((a, b) => a - b);
  const ms = (q: number) => Math.round(quantile(sorted, q) * 10) / 10;
  return {
    seconds,
    requests,
    searches: sorted.length,
    uploads,
    statuses,
    failures,
    searchMs: { p50: ms(0.5), p95: ms(0.95), p99: ms(0.99) },
    rssMb: { before, peak: Math.max(peak, after), after },
  };
}
