/**
 * A real single-node Elasticsearch for tests, benchmarks and development: the `integ-test-zip`
 * distribution of the requested version from Maven Central (scripts/elasticsearch/distribution.ts,
 * cached under .cache/elasticsearch), started on a local port with a JDK that can run it, optionally
 * with security and TLS on (scripts/elasticsearch/security.ts); waits until it answers, and stops it.
 * Each node gets a private folder for its config, data and logs, removed on stop.
 * Elasticsearch refuses to run as root, so as root it runs as an unprivileged user it creates.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ensureDistribution, javaHomeFor, resolveVersion } from "./distribution";
import { prepareSecurity, type NodeSecurity, type SecurityOptions, type Tools } from "./security";

export { compareVersions, resolveVersion } from "./distribution";
export type { NodeSecurity } from "./security";

const ES_USER = "photosearch-es";

export interface LocalCluster {
  url: string;
  version: string;
  /** Credentials and CA when started with `security`. */
  security?: NodeSecurity;
  /** The distribution's tools (certutil…) with this node's JDK and config folder. */
  tools: Tools;
  stop(): Promise<void>;
  /** SIGKILL, as a crashed machine would: no shutdown, no goodbye to the other nodes. Keeps the data folder until stop(). */
  kill(): Promise<void>;
}

/** Joining a cluster of several nodes instead of running as a single node. */
export interface JoinOptions {
  clusterName: string;
  nodeName: string;
  transportPort: number;
  /** Transport addresses (host:port) of every node, for discovery. */
  seedHosts: string[];
  /** The node names that vote in the first master election. */
  initialMasterNodes: string[];
}

export interface StartOptions {
  /** "8", "9" (newest of that major) or an exact release; default ES_VERSION, else the newest 8.x. */
  version?: string;
  heap?: string;
  /** Default: a free port. */
  port?: number;
  /** Security on (the `elastic` user), with TLS on the REST port unless `tls: false`. */
  security?: SecurityOptions | boolean;
  /** Extra `-E key=value` settings. */
  settings?: Record<string, string>;
  /** Keep data in this folder across runs (development); default: a temporary folder. */
  dataDir?: string;
  log?: (line: string) => void;
  /** Form a cluster with other nodes (scripts/elasticsearch/multi-node.ts) instead of discovery.type=single-node. */
  join?: JoinOptions;
}

/** The newest 8.x (or ES_VERSION): kept for callers that only need a version string. */
export function newestVersion(): Promise<string> {
  return resolveVersion();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function ensureUser(): void {
  try {
    execFileSync("id", ["-u", ES_USER], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_USER]);
  }
}

function launch(home: string, args: string[], env: NodeJS.ProcessEnv, owned: string[]): ChildProcess {
  const executable = path.join(home, "bin", "elasticsearch");
  const options = { env, stdio: ["ignore", "pipe", "pipe"] as ("ignore" | "pipe")[], detached: true };
  if (process.getuid?.() !== 0) return spawn(executable, args, options);
  ensureUser();
  for (const folder of owned) execFileSync("chown", ["-R", `${ES_USER}:${ES_USER}`, folder]);
  return spawn("runuser", ["-u", ES_USER, "--", executable, ...args], options);
}

export async function startCluster(options: StartOptions = {}): Promise<LocalCluster> {
  const version = await resolveVersion(options.version);
  const home = await ensureDistribution(version);
  const port = options.port ?? (await freePort());
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "photo-search-es-"));
  const configDir = path.join(work, "config");
  // A keystore left in the cached distribution by an older run belongs to nobody: start without one.
  fs.cpSync(path.join(home, "config"), configDir, { recursive: true, filter: (source) => !source.endsWith(".keystore") });
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : path.join(work, "data");
  fs.mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ES_JAVA_HOME: javaHomeFor(version),
    ES_PATH_CONF: configDir,
    ES_JAVA_OPTS: `-Xms${options.heap ?? "1g"} -Xmx${options.heap ?? "1g"}`,
    ES_TMPDIR: path.join(work, "tmp"),
  };
  delete env.JAVA_HOME; // the launcher warns when both are set
  fs.mkdirSync(env.ES_TMPDIR!, { recursive: true });
  const tools: Tools = { home, env };
  const secured = options.security ? await prepareSecurity(tools, configDir, options.security === true ? {} : options.security) : undefined;
  const join = options.join;
  const discovery: Record<string, string> = join
    ? {
        "cluster.name": join.clusterName,
        "node.name": join.nodeName,
        "transport.host": "127.0.0.1",
        "transport.port": String(join.transportPort),
        "discovery.seed_hosts": join.seedHosts.join(","),
        "cluster.initial_master_nodes": join.initialMasterNodes.join(","),
      }
    : { "cluster.name": "photo-search-test", "discovery.type": "single-node", "transport.port": "0" };
  const settings: Record<string, string> = {
    ...discovery,
    "http.host": "127.0.0.1",
    "http.port": String(port),
    "path.data": dataDir,
    "path.logs": path.join(work, "logs"),
    "xpack.security.enabled": "false",
    "cluster.routing.allocation.disk.threshold_enabled": "false",
    ...secured?.settings,
    ...options.settings,
  };
  const args = Object.entries(settings).flatMap(([key, value]) => ["-E", `${key}=${value}`]);
  const child = launch(home, args, env, [work, dataDir]);
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line) continue;
      output.push(line);
      if (output.length > 200) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const tls = settings["xpack.security.http.ssl.enabled"] === "true";
  const url = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  // A test run that dies must not leave a JVM behind: kill the cluster with its parent.
  // The cluster runs in its own process group (detached) so one signal reaches runuser, the CLI
  // launcher and the JVM alike.
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => signalGroup("SIGKILL");
  process.once("exit", killOnExit);
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    signalGroup("SIGKILL");
    await exited;
  };
  const stop = async () => {
    process.off("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(work, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, secured?.security, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, version, security: secured?.security, tools, stop, kill };
}

/** GET with the node's CA and credentials; resolves to the HTTP status, or 0 when nothing answers. */
function probe(url: string, security: NodeSecurity | undefined): Promise<number> {
  const target = new URL(url);
  const headers = security
    ? { authorization: `Basic ${Buffer.from(`${security.username}:${security.password}`).toString("base64")}` }
    : undefined;
  const ca = security?.caCertPath ? fs.readFileSync(security.caCertPath) : undefined;
  return new Promise((resolve) => {
    const request = (target.protocol === "https:" ? https : http).get(target, { headers, ca, timeout: 6_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(0));
  });
}

async function waitForHealth(
  url: string,
  security: NodeSecurity | undefined,
  child: ChildProcess,
  output: string[],
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Elasticsearch exited with ${child.exitCode}:\n${output.slice(-30).join("\n")}`);
    if ((await probe(`${url}/_cluster/health?wait_for_status=yellow&timeout=5s`, security)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`Elasticsearch did not become healthy within ${timeoutMs / 1000}s:\n${output.slice(-30).join("\n")}`);
}
