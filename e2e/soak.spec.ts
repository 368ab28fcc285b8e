/**
 * A bounded soak on loopback: concurrent searches of every kind plus uploads for SOAK_SECONDS
 * (20 by default; CI's short form), with zero errors and the server's memory growth bounded.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { withToken } from "./auth";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 20);
const MEMORY_GROWTH_BOUND_MB = 250;
const FLICKR = path.resolve(process.env.SHARED_DIR ?? "../shared", "datasets/flickr8k-1k/images");
const WORDS = ["dog", "snow", "a red bus", "people on a beach", "披萨", "雪山", "kitchen", "boat", "a child playing", "street at night"];

test(`soak: ${SECONDS}s of concurrent searches and uploads`, async ({ baseURL }) => {
  test.setTimeout((SECONDS + 60) * 1000);
  const base = baseURL!;
  const memory = async () => (await (await fetch(`${base}/api/health`)).json()).memory.rssMb as number;
  const ids: string[] = (await (await fetch(`${base}/api/search?k=50`)).json()).hits.map((h: { id: string }) => h.id);
  // Warm up every path once, then measure.
  await fetch(`${base}/api/search?q=warm+up&mode=hybrid`);
  const before = await memory();
  const deadline = Date.now() + SECONDS * 1000;
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  let requests = 0;
  const record = async (what: string, response: Promise<Response>) => {
    requests++;
    try {
      const r = await response;
      await r.arrayBuffer();
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status >= 300) failures.push(`${what}: ${r.status}`);
    } catch (error) {
      failures.push(`${what}: ${(error as Error).message}`);
    }
  };
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
  const searcher = async () => {
    while (Date.now() < deadline) {
      const kind = Math.floor(Math.random() * 5);
      const body =
        kind === 0
          ? { q: pick(WORDS) }
          : kind === 1
            ? { q: pick(WORDS), mode: "hybrid" }
            : kind === 2
              ? { q: pick(WORDS), mode: "text" }
              : kind === 3
                ? { like: pick(ids) }
                : { offset: 30, k: 30 };
      await record(
        "search",
        fetch(`${base}/api/search`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      );
      if (kind === 4) await record("thumbnail", fetch(`${base}/api/photos/${pick(ids)}/thumbnail`));
    }
  };
  const uploads = fs.readdirSync(FLICKR).slice(600, 900);
  const uploader = async () => {
    for (const name of uploads) {
      if (Date.now() >= deadline) break;
      const form = new FormData();
      form.append("file", new Blob([fs.readFileSync(path.join(FLICKR, name))]), name);
      await record("upload", fetch(`${base}/api/photos`, withToken({ method: "POST", body: form })));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  await Promise.all([...Array.from({ length: 6 }, searcher), uploader()]);
  const after = await memory();
  test.info().annotations.push({
    type: "soak",
    description: `${requests} requests in ${SECONDS}s, statuses ${JSON.stringify(Object.fromEntries(statuses))}, RSS ${before} -> ${after} MB`,
  });
  console.log(
    `soak: ${requests} requests in ${SECONDS}s, statuses ${JSON.stringify(Object.fromEntries(statuses))}, server RSS ${before} -> ${after} MB`,
  );
  expect(failures).toEqual([]);
  // Proves the soak ran (not a throughput claim: speed on a shared machine varies; the bench owns speed).
  expect(requests).toBeGreaterThan(SECONDS);
  expect(after - before).toBeLessThan(MEMORY_GROWTH_BOUND_MB);
});
