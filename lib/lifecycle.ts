/**
 * Server lifecycle: fail fast on bad configuration (naming the variable), warm the text model so the
 * first search is not slow, and on SIGTERM stop taking work, let requests in flight finish, close
 * the store, and exit. Started from instrumentation.ts when the Next server boots.
 */
import { config, ConfigError } from "@/lib/config";
import { appContext, closeAppContext } from "@/lib/context";
import { installServerGuard } from "@/lib/http/server-guard";
import { log } from "@/lib/log";

const DRAIN_TIMEOUT_MS = 10_000;
const state = { inFlight: 0, shuttingDown: false };

export function isShuttingDown(): boolean {
  return state.shuttingDown;
}

/** Counts a request in flight until `done` is called; used by the route wrapper. */
export function trackRequest(): () => void {
  state.inFlight++;
  return () => state.inFlight--;
}

export function startServer(): void {
  let cfg;
  try {
    cfg = config();
  } catch (error) {
    if (error instanceof ConfigError) {
      log("error", "bad configuration", { variable: error.variable, error: error.message });
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  installServerGuard();
  const { embedders, store } = appContext();
  const { auth } = cfg;
  log("info", "starting", {
    auth: auth.enabled
      ? { publicRead: auth.publicRead, admin: Boolean(auth.admin), oidc: Boolean(auth.oidc), apiTokens: auth.apiTokens.length }
      : "off",
    store: store.kind,
    index: cfg.store === "elasticsearch" ? cfg.elasticsearch.index : undefined,
    model: embedders.space.modelId,
    port: cfg.server.port,
  });
  if (!auth.enabled && process.env.NODE_ENV === "production")
    log("warn", "AUTH=off: anyone who can reach this server can upload and delete photos");
  const started = performance.now();
  embedders.text.warm().then(
    () =>
      log("info", "text model ready", {
        models: embedders.text.textModelIds,
        dtype: cfg.models.text.dtype,
        ms: Math.round(performance.now() - started),
      }),
    (error: Error) => log("error", "text model failed to load", { models: embedders.text.textModelIds, error: error.message }),
  );
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void shutdown(signal));
}

async function shutdown(signal: string): Promise<void> {
  state.shuttingDown = true;
  log("info", "shutting down", { signal, inFlight: state.inFlight });
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (state.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await closeAppContext().catch((error: Error) => log("warn", "closing the store failed", { error: error.message }));
  log("info", "stopped", { unfinished: state.inFlight });
  process.exit(0);
}
