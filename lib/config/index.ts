/**
 * The one owner of configuration. Every setting comes from the environment, is validated once on
 * first use (never at import time, so a build or a test can set variables first), and is typed.
 * A bad value fails with a ConfigError naming the variable.
 */
import path from "node:path";
import { z } from "zod";
import { ConfigError } from "./errors";
import { validateTls } from "./tls";

export { ConfigError } from "./errors";

const DEFAULT_MODEL = "Xenova/clip-vit-base-patch32";
/** The tutorial's multilingual text encoder, trained into ViT-B/32's space (exported with npm run models:export). */
const DEFAULT_MULTILINGUAL_MODEL = "sentence-transformers/clip-ViT-B-32-multilingual-v1";

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** One node address: `host:port` as the tutorial writes it, or a full URL. */
function nodeUrl(value: string): string | undefined {
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `http://${value}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return url.toString().replace(/\/$/, "");
  } catch {
    return undefined;
  }
}

/**
 * One node, or several separated by commas (`http://es1:9200,http://es2:9200`): the client spreads
 * requests over them and retries a failed one on another. All must share one scheme (TLS or not).
 */
const esHost = optionalString.transform((value, ctx) => {
  if (!value) return undefined;
  const entries = value.split(",").map((entry) => entry.trim());
  const urls = entries.map(nodeUrl);
  const bad = entries.find((entry, i) => !entry || !urls[i]);
  if (bad !== undefined) {
    const what = entries.length > 1 ? `"${bad}" is not a node address: ` : "";
    ctx.addIssue({ code: "custom", message: `${what}must be a URL such as http://localhost:9200, or several separated by commas` });
    return z.NEVER;
  }
  const nodes = [...new Set(urls as string[])];
  if (new Set(nodes.map((node) => new URL(node).protocol)).size > 1) {
    ctx.addIssue({ code: "custom", message: "mixes http:// and https:// nodes; one cluster speaks one of them" });
    return z.NEVER;
  }
  return nodes;
});

const dtype = z.enum(["fp32", "fp16", "q8", "int8", "uint8", "q4"]);

const schema = z.object({
  STORE: z.enum(["auto", "embedded", "elasticsearch"]).default("auto"),
  DATA_DIR: z.string().default("data"),
  /** Photos from which the embedded store answers unfiltered searches from a graph index; "off": always the exact scan. */
  GRAPH_INDEX_MIN_PHOTOS: z.union([z.literal("off"), z.coerce.number().int().positive()]).optional(),
  /** Photos from which the embedded store rescores search candidates in a worker thread; "off": on the main thread. */
  RESCORE_THREAD_MIN_PHOTOS: z.union([z.literal("off"), z.coerce.number().int().positive()]).optional(),
  /** Where relative paths in these settings start from; `npm start` sets it, as the standalone server changes into its own folder. */
  BASE_DIR: optionalString,

  ES_HOST: esHost,
  ES_USER: optionalString,
  ES_PWD: optionalString,
  ES_API_KEY: optionalString,
  ES_CA_CERT: optionalString,
  ES_CA_FINGERPRINT: optionalString,
  ES_INDEX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "must be a lower-case index name")
    .default("photos"),
  ES_NUM_CANDIDATES: positiveInt(100),
  /** Primary shards of the app's index when it is created (Elasticsearch cannot change it later without a reindex). */
  ES_SHARDS: z.coerce.number().int().min(1).max(1024).default(1),
  ES_REQUEST_TIMEOUT_MS: positiveInt(30_000),

  TEXT_EMBEDDER: z.enum(["server", "elasticsearch"]).default("server"),
  ES_MODEL_ID: z.string().default("sentence-transformers__clip-vit-b-32-multilingual-v1"),
  ES_INFER_FALLBACK: z.enum(["none", "server"]).default("none"),
  ES_INFER_TIMEOUT_MS: positiveInt(10_000),
  ES_INDEX_PROFILE: z.enum(["auto", "app", "tutorial", "generator"]).default("auto"),
  ES_IMAGE_ROOT: optionalString,
  IMAGE_MODEL: z.string().default(DEFAULT_MODEL),
  TEXT_MODEL: optionalString,
  MULTILINGUAL_MODEL: z.string().trim().min(1).default(DEFAULT_MULTILINGUAL_MODEL),
  TEXT_MODEL_KIND: optionalString,
  IMAGE_DTYPE: dtype.default("fp32"),
  TEXT_DTYPE: dtype.default("q8"),
  MODEL_DIR: optionalString,
  HF_ENDPOINT: optionalString,
  MODEL_CACHE_DIR: optionalString,
  EMBED_BATCH_SIZE: positiveInt(8),
  EMBED_THREADS: z.coerce.number().int().min(0).default(0),
  QUERY_BATCHING: z.enum(["on", "off"]).default("on"),
  TEXT_ENCODER_THREAD: z.enum(["on", "off"]).default("on"),

  PORT: positiveInt(5001),
  MAX_UPLOAD_BYTES: positiveInt(50 * 1024 * 1024),
  UPLOADS_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  MAX_IMAGE_PIXELS: positiveInt(100_000_000),
  THUMBNAIL_SIZE: positiveInt(480),
  MAX_JSON_BYTES: positiveInt(256 * 1024),
  SEARCHES_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  SIGNINS_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),

  AUTH: z.enum(["on", "off"]).optional(),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional()),
  PUBLIC_READ: optionalString.pipe(z.enum(["true", "false"], "must be true or false").optional()),
  ADMIN_USER: z.string().trim().min(1).default("admin"),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(12, "must be at least 12 characters").optional()),
  OIDC_ISSUER: optionalString.pipe(z.url("must be the issuer URL, e.g. https://login.example.com/realms/team").optional()),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_NAME: z.string().trim().min(1).default("Single sign-on"),
  OIDC_ALLOWED_USERS: optionalString.transform((value, ctx) => {
    if (!value) return undefined;
    const entries = value.split(",").map((entry) => entry.trim().toLowerCase());
    if (entries.some((entry) => !/^[^\s@,]*@[^\s@,]+\.[^\s@,]+$/.test(entry))) {
      ctx.addIssue({
        code: "custom",
        message: "must be e-mail addresses or @domains separated by commas, e.g. ana@team.example,@team.example",
      });
      return z.NEVER;
    }
    return entries;
  }),
  API_TOKENS: optionalString.transform((value, ctx) => {
    if (!value) return [];
    const tokens = value.split(",").map((entry) => entry.trim());
    const parsed = tokens.map((entry) => /^([\w.@-]{1,64}):(\S{32,})$/.exec(entry));
    if (parsed.some((match) => !match)) {
      ctx.addIssue({ code: "custom", message: "must be name:token pairs separated by commas, each token at least 32 characters" });
      return z.NEVER;
    }
    return parsed.map((match) => ({ name: match![1]!, token: match![2]! }));
  }),
  NODE_ENV: z.string().optional(),
  THUMBNAIL_CACHE_MB: positiveInt(512),
  /**
   * Map tiles for the map view, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png or a mainland-China
   * provider; https only (the content security policy allows https images). Unset: the map draws
   * country outlines shipped with the app (world-atlas), fully offline.
   */
  MAP_TILE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^https:\/\/[^\s]+$/, "must be an https URL template")
      .refine((url) => ["{z}", "{x}", "{y}"].every((part) => url.includes(part)), "must contain {z}, {x} and {y}")
      .optional(),
  ),
  MAP_TILE_ATTRIBUTION: z.string().trim().max(300).default("© OpenStreetMap contributors"),
});

type Env = z.infer<typeof schema>;

export type StoreKind = "embedded" | "elasticsearch";

export interface Config {
  store: StoreKind;
  dataDir: string;
  /** Photos from which the embedded store keeps a graph index for unfiltered searches (Infinity: never; unset: the store's default). */
  graphIndexMinPhotos?: number;
  /** Photos from which the embedded store rescores candidates in a worker thread (Infinity: never; unset: the store's default). */
  rescoreThreadMinPhotos?: number;
  elasticsearch: {
    /** The first node: named in messages. */
    node?: string;
    /** Every node ES_HOST lists (one or more). */
    nodes: string[];
    username?: string;
    password?: string;
    apiKey?: string;
    /** A PEM file holding the CA that signed the cluster's HTTP certificate. */
    caCertPath?: string;
    /** SHA-256 of the cluster's CA certificate (lower-case hex): trusts the CA the cluster presents with that digest. */
    caFingerprint?: string;
    index: string;
    numCandidates: number;
    /** Primary shards for the app's index, used when the app creates it. */
    shards: number;
    requestTimeoutMs: number;
    /** Which layout the index has: the app's own, the tutorial's Unsplash index, or the embeddings generator's. */
    indexProfile: Env["ES_INDEX_PROFILE"];
    /** Where the photos of an index made by the embeddings generator live (its relative_path is below this). */
    imageRoot?: string;
  };
  /** Where query text is embedded: transformers.js on this server, or Elasticsearch's _infer API. */
  textEmbedder: {
    kind: Env["TEXT_EMBEDDER"];
    esModelId: string;
    fallback: Env["ES_INFER_FALLBACK"];
    timeoutMs: number;
  };
  models: {
    image: { id: string; dtype: Env["IMAGE_DTYPE"] };
    /** CLIP's own text tower: English and other queries its tokenizer handles. */
    text: { id: string; dtype: Env["TEXT_DTYPE"] };
    /** The multilingual text encoder (sentence-transformers layout, exported with pooling and projection); absent when turned off. */
    multilingual?: { id: string; dtype: Env["TEXT_DTYPE"] };
    /** A local folder holding `<model id>/...`; when set, nothing is fetched from a hub. */
    localDir?: string;
    /** A Hugging Face mirror such as https://hf-mirror.com. */
    remoteHost?: string;
    cacheDir: string;
    batchSize: number;
    threads: number;
    /** Micro-batch concurrent query embeddings and cache recent ones (lib/embedding/server/query-batching.ts). */
    queryBatching: boolean;
    /** Embed query text in a worker thread instead of the server's main thread (lib/embedding/server/text-thread.ts). */
    textThread: boolean;
  };
  server: { port: number };
  /** Rates are per signed-in user or client address, a minute; 0 turns a limit off. */
  limits: {
    maxUploadBytes: number;
    maxJsonBytes: number;
    maxImagePixels: number;
    thumbnailSize: number;
    /** Bound of the thumbnails made on request (photos of indices made elsewhere). */
    thumbnailCacheBytes: number;
    uploadsPerMinute: number;
    searchesPerMinute: number;
    signInsPerMinute: number;
  };
  /** How many reverse proxies (load balancers) sit in front of the app: X-Forwarded-For is trusted that deep. */
  trustProxy: number;
  auth: AuthConfig;
  /** Real map tiles for the map view; without them it draws the shipped country outlines. */
  map: { tileUrl?: string; attribution: string };
}

/**
 * Who may do what. `enabled: false` leaves every route open (development, or AUTH=off spelled out);
 * otherwise writes need a signed-in user or an API token, and reads too unless `publicRead`.
 */
export interface AuthConfig {
  enabled: boolean;
  publicRead: boolean;
  secret?: string;
  admin?: { user: string; password: string };
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    name: string;
    /** E-mail addresses and @domains that may sign in; unset: anyone the provider signs in. */
    allowedUsers?: string[];
  };
  apiTokens: { name: string; token: string }[];
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? "environment"), issue?.message ?? "invalid");
  }
  const e = parsed.data;
  if (e.STORE === "elasticsearch" && !e.ES_HOST) {
    throw new ConfigError("ES_HOST", "is required when STORE=elasticsearch");
  }
  if (e.ES_USER && !e.ES_PWD) throw new ConfigError("ES_PWD", "is required when ES_USER is set");
  if (e.TEXT_MODEL_KIND) {
    throw new ConfigError(
      "TEXT_MODEL_KIND",
      "is no longer used: TEXT_MODEL is CLIP's text tower and MULTILINGUAL_MODEL the multilingual encoder (off to turn it off); queries are routed between them by language",
    );
  }
  if (e.TEXT_EMBEDDER === "elasticsearch" && !e.ES_HOST) throw new ConfigError("ES_HOST", "is required when TEXT_EMBEDDER=elasticsearch");
  // `host:port` without a scheme means https when a CA is given: the CA settings only make sense with TLS.
  const schemeless = (env.ES_HOST ?? "").split(",").every((entry) => !/^[a-z]+:\/\//i.test(entry.trim()));
  const nodes = (e.ES_HOST ?? []).map((url) =>
    (e.ES_CA_CERT || e.ES_CA_FINGERPRINT) && schemeless ? url.replace(/^http:/, "https:") : url,
  );
  const node = nodes[0];
  // Runtime paths chosen by the user: the bundler must not try to trace them (turbopackIgnore).
  const base = e.BASE_DIR ?? process.cwd();
  const resolve = (file: string) => path.resolve(/*turbopackIgnore: true*/ base, file);
  const tls = validateTls(node, e.ES_CA_CERT && resolve(e.ES_CA_CERT), e.ES_CA_FINGERPRINT);
  const auth = authConfig(e);
  const dataDir = resolve(e.DATA_DIR);
  return {
    store: e.STORE === "auto" ? (e.ES_HOST ? "elasticsearch" : "embedded") : e.STORE,
    dataDir,
    ...(e.GRAPH_INDEX_MIN_PHOTOS !== undefined && {
      graphIndexMinPhotos: e.GRAPH_INDEX_MIN_PHOTOS === "off" ? Number.POSITIVE_INFINITY : e.GRAPH_INDEX_MIN_PHOTOS,
    }),
    ...(e.RESCORE_THREAD_MIN_PHOTOS !== undefined && {
      rescoreThreadMinPhotos: e.RESCORE_THREAD_MIN_PHOTOS === "off" ? Number.POSITIVE_INFINITY : e.RESCORE_THREAD_MIN_PHOTOS,
    }),
    elasticsearch: {
      node,
      nodes,
      username: e.ES_USER,
      password: e.ES_PWD,
      apiKey: e.ES_API_KEY,
      caCertPath: tls.caCertPath,
      caFingerprint: tls.caFingerprint,
      index: e.ES_INDEX,
      numCandidates: e.ES_NUM_CANDIDATES,
      shards: e.ES_SHARDS,
      requestTimeoutMs: e.ES_REQUEST_TIMEOUT_MS,
      indexProfile: e.ES_INDEX_PROFILE,
      imageRoot: e.ES_IMAGE_ROOT ? resolve(e.ES_IMAGE_ROOT) : undefined,
    },
    textEmbedder: { kind: e.TEXT_EMBEDDER, esModelId: e.ES_MODEL_ID, fallback: e.ES_INFER_FALLBACK, timeoutMs: e.ES_INFER_TIMEOUT_MS },
    models: {
      image: { id: e.IMAGE_MODEL, dtype: e.IMAGE_DTYPE },
      text: { id: e.TEXT_MODEL ?? e.IMAGE_MODEL, dtype: e.TEXT_DTYPE },
      multilingual: e.MULTILINGUAL_MODEL === "off" ? undefined : { id: e.MULTILINGUAL_MODEL, dtype: e.TEXT_DTYPE },
      localDir: e.MODEL_DIR ? resolve(e.MODEL_DIR) : undefined,
      remoteHost: e.HF_ENDPOINT,
      cacheDir: e.MODEL_CACHE_DIR ? resolve(e.MODEL_CACHE_DIR) : path.join(dataDir, "model-cache"),
      batchSize: e.EMBED_BATCH_SIZE,
      threads: e.EMBED_THREADS,
      queryBatching: e.QUERY_BATCHING === "on",
      textThread: e.TEXT_ENCODER_THREAD === "on",
    },
    server: { port: e.PORT },
    limits: {
      maxUploadBytes: e.MAX_UPLOAD_BYTES,
      maxImagePixels: e.MAX_IMAGE_PIXELS,
      thumbnailSize: e.THUMBNAIL_SIZE,
      thumbnailCacheBytes: e.THUMBNAIL_CACHE_MB * 1024 * 1024,
      uploadsPerMinute: e.UPLOADS_PER_MINUTE,
      maxJsonBytes: e.MAX_JSON_BYTES,
      searchesPerMinute: e.SEARCHES_PER_MINUTE,
      signInsPerMinute: e.SIGNINS_PER_MINUTE,
    },
    trustProxy: e.TRUST_PROXY,
    auth,
    map: { tileUrl: e.MAP_TILE_URL, attribution: e.MAP_TILE_ATTRIBUTION },
  };
}

/**
 * The access decision. Development (`npm run dev`) is open by default; production refuses to start
 * until someone decides: a secret (sign-in), API tokens, PUBLIC_READ, or AUTH=off.
 */
function authConfig(e: Env): AuthConfig {
  const oidcSet = e.OIDC_ISSUER || e.OIDC_CLIENT_ID || e.OIDC_CLIENT_SECRET;
  if (oidcSet) {
    for (const name of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const) {
      if (!e[name]) throw new ConfigError(name, "is required when any OIDC_ variable is set");
    }
  }
  if (e.AUTH === "off") return { enabled: false, publicRead: true, apiTokens: [] };
  const decided = e.AUTH === "on" || e.AUTH_SECRET || e.PUBLIC_READ || e.API_TOKENS.length > 0 || e.ADMIN_PASSWORD || oidcSet;
  if (!decided) {
    if (e.NODE_ENV !== "production") return { enabled: false, publicRead: true, apiTokens: [] };
    throw new ConfigError(
      "AUTH_SECRET",
      "is required in production: set it (with ADMIN_PASSWORD or OIDC_*) so writes need a signed-in user, or set PUBLIC_READ=true for a read-only public gallery, or AUTH=off to leave the app open to anyone who can reach it",
    );
  }
  if ((e.ADMIN_PASSWORD || oidcSet) && !e.AUTH_SECRET) {
    throw new ConfigError(
      "AUTH_SECRET",
      "is required to sign in (ADMIN_PASSWORD or OIDC_ISSUER is set); make one with openssl rand -base64 32",
    );
  }
  const publicRead = e.PUBLIC_READ === "true";
  if (!publicRead && !e.AUTH_SECRET && e.API_TOKENS.length === 0) {
    throw new ConfigError("AUTH_SECRET", "is required when PUBLIC_READ=false, or nobody could read the library");
  }
  return {
    enabled: true,
    publicRead,
    secret: e.AUTH_SECRET,
    admin: e.ADMIN_PASSWORD ? { user: e.ADMIN_USER, password: e.ADMIN_PASSWORD } : undefined,
    oidc: oidcSet
      ? {
          issuer: e.OIDC_ISSUER!,
          clientId: e.OIDC_CLIENT_ID!,
          clientSecret: e.OIDC_CLIENT_SECRET!,
          name: e.OIDC_NAME,
          allowedUsers: e.OIDC_ALLOWED_USERS,
        }
      : undefined,
    apiTokens: e.API_TOKENS,
  };
}

let cached: Config | undefined;

/** The process's configuration, validated on first call. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** For tests and CLIs that change the environment after start-up. */
export function resetConfig(): void {
  cached = undefined;
}
