/**
 * Section 4: POST /api/search on the production server under concurrent clients (autocannon over
 * loopback), for each store. Two kinds of query: a vector computed in the browser (the search alone)
 * and a text query the server embeds first. One client gives the unloaded latency; the baseline is
 * the store's own search at the same size, measured in-process in section 1.
 */
import autocannon from "autocannon";
import { round, stat } from "./measure";

export interface LoadOptions {
  url: string;
  textModelId: string;
  queries: Float32Array[];
  connections: number[];
  durationS: number;
}

/**
 * English only: these runs measure the CLIP text tower the server is given. A Chinese query goes to
 * the multilingual tower, which the bench's model folder does not hold, so it would answer a fast
 * 503 and count as throughput (it did: a sixth of the requests, until a run's non-2xx were checked).
 */
export const WORDS = [
  "mountain",
  "snow",
  "beach",
  "city street",
  "dog",
  "cat",
  "red bus",
  "market",
  "river",
  "snowy peak",
  "sunset by the sea",
  "sunset",
];

export async function apiLoad(options: LoadOptions) {
  const bodies = {
    vector: (i: number) => ({
      vector: { model: options.textModelId, values: Array.from(options.queries[i % options.queries.length]!) },
      k: 30,
      cutoff: false, // every request returns its 30 hits: the relevance cut-off would vary the work
    }),
    // Distinct texts, so no query is answered from a cache.
    text: (i: number) => ({ q: `${WORDS[i % WORDS.length]} ${i}`, k: 30, cutoff: false }),
  };
  const out: Record<string, unknown> = {};
  for (const [kind, body] of Object.entries(bodies)) {
    const check = await fetch(`${options.url}/api/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body(0)),
    });
    const checked = (await check.json()) as { hits?: unknown[]; error?: { message: string } };
    if (!check.ok || checked.hits?.length !== 30)
      throw new Error(`${kind} search failed before the load test: ${check.status} ${JSON.stringify(checked).slice(0, 300)}`);
    for (const connections of options.connections) out[`${kind}C${connections}`] = await searchLoad(options, connections, body);
  }
  return out;
}

/** `connections` clients posting `body(i)` to /api/search for `durationS` seconds; throws if any request failed. */
export async function searchLoad(options: Pick<LoadOptions, "url" | "durationS">, connections: number, body: (i: number) => object) {
  let counter = 0;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections,
        duration: options.durationS,
        requests: [
          {
            method: "POST",
            path: "/api/search",
            headers: { "content-type": "application/json" },
            setupRequest: (request) => ({ ...request, body: JSON.stringify(body(counter++)) }),
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  // A failed request is fast: counted as throughput it would flatter the figure. None may fail.
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(
      `${connections} clients: ${result.non2xx} non-2xx responses and ${result.errors} errors; the figures would count failures`,
    );
  const s = stat(latencies);
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    connections,
    requests: result.requests.total,
    rps: round(result.requests.average, 1),
    p50: s.p50,
    p95: s.p95,
    p99: round(sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? 0),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
