/**
 * Test support: a local stand-in for Elasticsearch's machine-learning endpoints, which cannot run
 * on our machines (the test distribution has no ML). It speaks the wire format of the
 * elasticsearch-specification for exactly the paths it serves:
 * - `POST /_ml/trained_models/<id>/_infer[?timeout=]` (8.3+): `{ inference_results: [{ predicted_value }] }`;
 * - `POST /_ml/trained_models/<id>/deployment/_infer` (8.0+, deprecated in 8.3): one document only,
 *   answered with the flat fields of its one result (`{ predicted_value }`);
 * - `GET /_ml/trained_models/<id>/_stats`: `{ count, trained_model_stats: [...] }`;
 * with Elasticsearch's errors for a missing or undeployed model (404, 409), an inference timeout (408),
 * a cluster without an ML licence (403), and any other path (400 "no handler found", as a cluster
 * without ML answers). It can be slow on purpose, and records every request it receives.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUnitVector, seededRandom } from "@/lib/testing";

export interface StandInModel {
  state: "started" | "not started" | "starting" | "failed";
  dims?: number;
  delayMs?: number;
}

export interface StandInOptions {
  /** "basic": the cluster's licence has no machine learning; every _ml call is refused. */
  licence?: "trial" | "basic";
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: unknown;
}

/** The stand-in model's embedding of a text: a deterministic unit vector. */
export function standInVector(text: string, dims = 512): number[] {
  const seed = createHash("sha256").update(text).digest().readUInt32LE(0);
  return Array.from(randomUnitVector(seededRandom(seed), dims));
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  // The official client refuses answers without this header (its product check).
  response.writeHead(status, { "content-type": "application/json", "x-elastic-product": "Elasticsearch" });
  response.end(JSON.stringify(body));
}

function error(type: string, reason: string, status: number, extra: Record<string, string> = {}) {
  return { error: { root_cause: [{ type, reason, ...extra }], type, reason, ...extra }, status };
}

/** Elasticsearch's time values as the `timeout` parameter carries them: 500ms, 10s, 1m. */
function parseDuration(value: string | undefined): number | undefined {
  const match = value ? /^(\d+)(ms|s|m)$/.exec(value) : null;
  if (!match) return undefined;
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as "ms" | "s" | "m"];
}

function stats(id: string, model: StandInModel | undefined) {
  if (!model) return { count: 0, trained_model_stats: [] };
  const deployment =
    model.state === "not started"
      ? {}
      : { deployment_stats: { model_id: id, state: model.state, ...(model.state === "failed" ? { reason: "out of memory" } : {}) } };
  return { count: 1, trained_model_stats: [{ model_id: id, model_size_stats: {}, pipeline_count: 0, ...deployment }] };
}

export async function startStandIn(models: Record<string, StandInModel>, options: StandInOptions = {}) {
  const requests: RecordedRequest[] = [];

  async function answer(request: http.IncomingMessage, body: unknown): Promise<[number, unknown]> {
    const url = new URL(request.url!, "http://x");
    const path = decodeURIComponent(url.pathname);
    const match = /^\/_ml\/trained_models\/([^/]+)\/(_infer|deployment\/_infer|_stats)$/.exec(path);
    const expected = match?.[2] === "_stats" ? "GET" : "POST";
    if (!match || request.method !== expected) return [400, { error: `no handler found for uri [${path}] and method [${request.method}]` }];
    if (options.licence === "basic") {
      return [403, error("security_exception", "current license is non-compliant for [ml]", 403, { "license.expired.feature": "ml" })];
    }
    const [, id = "", action] = match;
    const model = models[id];
    if (action === "_stats") return [200, stats(id, model)];
    if (!model) return [404, error("resource_not_found_exception", `Could not find trained model [${id}]`, 404)];
    if (model.state !== "started")
      return [409, error("status_exception", `Trained model deployment [${id}] is not allocated to any nodes`, 409)];
    const docs = (body as { docs: { text_field: string }[] }).docs;
    if (action === "deployment/_infer" && docs.length > 1) {
      return [400, error("action_request_validation_exception", "Validation Failed: 1: multiple documents are not supported;", 400)];
    }
    const timeout = parseDuration(url.searchParams.get("timeout") ?? undefined) ?? 10_000;
    if (model.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(model.delayMs!, timeout)));
      if (model.delayMs > timeout)
        return [408, error("status_exception", `timeout [${url.searchParams.get("timeout")}] waiting for inference result`, 408)];
    }
    const vectors = docs.map((doc) => standInVector(doc.text_field, model.dims));
    if (action === "deployment/_infer") return [200, { predicted_value: vectors[0] }];
    return [200, { inference_results: vectors.map((predicted_value) => ({ predicted_value })) }];
  }

  const server = http.createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", async () => {
      const url = new URL(request.url!, "http://x");
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({
        method: request.method!,
        path: decodeURIComponent(url.pathname),
        query: Object.fromEntries(url.searchParams),
        authorization: request.headers.authorization,
        body,
      });
      const [status, payload] = await answer(request, body);
      send(response, status, payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
