/** Builds the Elasticsearch client from config: basic auth, API key, CA file or fingerprint. */
import { Client, errors } from "@elastic/elasticsearch";
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { explainTlsFailure, tlsClientOptions } from "./tls";

/** What error messages need to know about the connection: where, how it authenticates, what it trusts. */
export type ConnectionSettings = Pick<Config["elasticsearch"], "node" | "username" | "apiKey" | "caCertPath" | "caFingerprint">;

/**
 * One client over every node ES_HOST lists. A request that fails to connect or times out on one node
 * is retried on another (maxRetries covers every other node), and the node is left out until a ping
 * finds it back. Sniffing (asking the cluster for its nodes' addresses) stays off: behind a load
 * balancer, Alibaba Cloud SAE or Elastic Cloud the nodes publish private addresses the app cannot
 * reach, and the addresses given in ES_HOST are the ones that work.
 */
export function createClient(settings: Config["elasticsearch"]): Client {
  const addresses = settings.nodes?.length ? settings.nodes : settings.node ? [settings.node] : [];
  if (addresses.length === 0) throw new AppError("store_unavailable", "ES_HOST is not set");
  // Credentials written into a URL (http://user:pass@host) move into auth, so they never appear in
  // the node address that the client prints in errors and logs.
  const first = new URL(addresses[0]!);
  const username = settings.username ?? (first.username ? decodeURIComponent(first.username) : undefined);
  const password = settings.password ?? (first.password ? decodeURIComponent(first.password) : undefined);
  const nodes = addresses.map((address) => {
    const url = new URL(address);
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/$/, "");
  });
  const auth = settings.apiKey ? { apiKey: settings.apiKey } : username && password ? { username, password } : undefined;
  return new Client({
    nodes,
    auth,
    ...tlsClientOptions(settings),
    requestTimeout: settings.requestTimeoutMs,
    maxRetries: Math.max(2, nodes.length),
    sniffOnStart: false,
    sniffOnConnectionFault: false,
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
