/** Builds the Elasticsearch client from config: basic auth, API key, CA file or fingerprint. */
import { Client, errors } from "@elastic/elasticsearch";
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { explainTlsFailure, tlsClientOptions } from "./tls";

/** What error messages need to know about the connection: where, how it authenticates, what it trusts. */
export type ConnectionSettings = Pick<Config["elasticsearch"], "node" | "username" | "apiKey" | "caCertPath" | "caFingerprint">;

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
  return new Client({
    node: url.toString().replace(/\/$/, ""),
    auth,
    ...tlsClientOptions(settings),
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

function credentialsHint(settings: ConnectionSettings | undefined, node: string | undefined): string {
  if (settings?.apiKey) return "the API key: check ES_API_KEY";
  const user = settings?.username ?? (node ? decodeURIComponent(new URL(node).username) : "");
  if (user) return `the password of user ${user}: check ES_USER and ES_PWD`;
  return "";
}

/** Turns client errors into AppErrors that say what went wrong, and which setting fixes it, without leaking request details. */
export function translateError(error: unknown, connection: ConnectionSettings | string | undefined): AppError {
  if (error instanceof AppError) return error;
  const settings = typeof connection === "string" ? undefined : connection;
  const node = typeof connection === "string" ? connection : connection?.node;
  const where = describeNode(node);
  if (error instanceof errors.ConnectionError && node) {
    const tls = explainTlsFailure(error.message, new URL(node), settings ?? {});
    if (tls) return new AppError("store_unavailable", `${where}: ${tls}`, { cause: error });
    if (/other side closed|socket hang up|ECONNRESET/i.test(error.message) && new URL(node).protocol === "http:") {
      return new AppError(
        "store_unavailable",
        `${where} closed the connection (${error.message.split(" - ")[0]}): if the cluster uses TLS, set ES_HOST to https://${new URL(node).host}`,
        { cause: error },
      );
    }
  }
  if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError) {
    return new AppError("store_unavailable", `${where} is unreachable (${error.name}); check ES_HOST and that the cluster is up`, {
      cause: error,
    });
  }
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const reason = (error.body as { error?: { reason?: string; type?: string } } | undefined)?.error;
    const request = error.meta?.meta?.request?.params;
    // A HEAD request's refusal has no body: name the request instead.
    const detail = reason?.reason ?? reason?.type ?? (request ? `${request.method} ${request.path}` : error.message);
    if (status === 401) {
      const refused = credentialsHint(settings, node);
      const message = refused
        ? `${where} refused ${refused} (HTTP 401)`
        : `${where} requires credentials (HTTP 401, security is on): set ES_API_KEY, or ES_USER and ES_PWD`;
      return new AppError("store_unavailable", message, { cause: error });
    }
    if (status === 403) {
      return new AppError(
        "store_unavailable",
        `${where} denied a privilege the app needs (HTTP 403: ${detail}); grant the role described in the README's "Least-privilege role"`,
        { cause: error },
      );
    }
    if (status === 400) return new AppError("bad_request", `${where} rejected the query: ${detail}`, { cause: error });
    if (status === 404) return new AppError("not_found", `${where}: ${detail}`, { cause: error });
    return new AppError("store_unavailable", `${where} answered HTTP ${status}: ${detail}`, { cause: error });
  }
  return new AppError("store_unavailable", `${where} request failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
