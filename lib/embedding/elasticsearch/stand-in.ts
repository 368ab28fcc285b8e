/**
 * Test support: a local stand-in for Elasticsearch's machine-learning endpoints, which cannot run
 * on our machines. It answers `POST /_ml/trained_models/<id>/_infer` and
 * `GET /_ml/trained_models/<id>/_stats` with the documented response bodies (the 8.3+ shape with
 * `inference_results`, or the older flat `predicted_value`), the documented errors for a missing or
 * undeployed model, and can be slow on purpose. It records every request it receives.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUnitVector, seededRandom } from "@/lib/testing";

export interface StandInModel {
  state: "started" | "not started" | "starting" | "failed";
  shape: "inference_results" | "flat";
  dims?: number;
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
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

function error(type: string, reason: string, status: number) {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

export async function startStandIn(models: Record<string, StandInModel>) {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", async () => {
      const path = decodeURIComponent(new URL(request.url!, "http://x").pathname);
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({ method: request.method!, path, authorization: request.headers.authorization, body });
      const match = /^\/_ml\/trained_models\/([^/]+)\/(_infer|_stats)$/.exec(path);
      if (!match) return send(response, 404, error("resource_not_found_exception", `no handler for ${path}`, 404));
      const [, id = "", action] = match;
      const model = models[id];
      if (action === "_stats") {
        if (!model) return send(response, 200, { count: 0, trained_model_stats: [] });
        const stats = {
          model_id: id,
          model_size_stats: {},
          pipeline_count: 0,
          ...(model.state === "not started"
            ? {}
            : { deployment_stats: { model_id: id, state: model.state, ...(model.state === "failed" ? { reason: "out of memory" } : {}) } }),
        };
        return send(response, 200, { count: 1, trained_model_stats: [stats] });
      }
      if (!model) return send(response, 404, error("resource_not_found_exception", `Could not find trained model [${id}]`, 404));
      if (model.state !== "started")
        return send(response, 409, error("status_exception", `Trained model deployment [${id}] is not allocated to any nodes`, 409));
      if (model.delayMs) await new Promise((resolve) => setTimeout(resolve, model.delayMs));
      const vectors = (body.docs as { text_field: string }[]).map((doc) => standInVector(doc.text_field, model.dims));
      if (model.shape === "flat") return send(response, 200, { predicted_value: vectors[0] });
      return send(response, 200, { inference_results: vectors.map((predicted_value) => ({ predicted_value })) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
