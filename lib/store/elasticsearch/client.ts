/** Builds the Elasticsearch client from config: basic auth, API key, CA file or fingerprint. */
import fs from "node:fs";
import { Client, errors } from "@elastic/elasticsearch";
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";

export function createClient(settings: Config["elasticsearch"]): Client {
  if (!settings.node) throw new AppError("store_unavailable", "ES_HOST is not set");
  const url = new URL(settings.node);
  // Credentials written into the URL (http://user:pass@host) move into auth, so they never appear in
  // the node address that the client prints in errors and logs.
  const username = settings.username ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const password = settings.password ?? (url.password ? decodeURIComponent(url.password) : undefined);
  url.username = "";
  url.password = "";
  const auth = settings.apiKey ? { apiKey: settings.apiKey } : username && password ? { username, password } : undefined;
  const tls = settings.caCertPath ? { ca: fs.readFileSync(settings.caCertPath) } : undefined;
  return new Client({
    node: url.toString().replace(/\/$/, ""),
    auth,
    tls,
    caFingerprint: settings.caFingerprint,
    requestTimeout: settings.requestTimeoutMs,
    maxRetries: 2,
  });
}

/** Host and port only, for messages: never credentials. */
export function describeNode(node: string | undefined): string {
  if (!node) return "Elasticsearch";
  const url = new URL(node);
  return `Elasticsearch at ${url.protocol}//${url.host}`;
}

/** Turns client errors into AppErrors that say what went wrong without leaking request details. */
export function translateError(error: unknown, node: string | undefined): AppError {
  if (error instanceof AppError) return error;
  const where = describeNode(node);
  if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError) {
    return new AppError("store_unavailable", `${where} is unreachable (${error.name}); check ES_HOST and that the cluster is up`, {
      cause: error,
    });
  }
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const reason = (error.body as { error?: { reason?: string; type?: string } } | undefined)?.error;
    const detail = reason?.reason ?? reason?.type ?? error.message;
    if (status === 401 || status === 403) {
      return new AppError("store_unavailable", `${where} refused the credentials (HTTP ${status}); check ES_USER/ES_PWD or ES_API_KEY`, {
        cause: error,
      });
    }
    if (status === 400) return new AppError("bad_request", `${where} rejected the query: ${detail}`, { cause: error });
    if (status === 404) return new AppError("not_found", `${where}: ${detail}`, { cause: error });
    return new AppError("store_unavailable", `${where} answered HTTP ${status}: ${detail}`, { cause: error });
  }
  return new AppError("store_unavailable", `${where} request failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
