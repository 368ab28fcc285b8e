/**
 * A real single-node Elasticsearch 8.x for tests and benchmarks: downloads the newest 8.x
 * `integ-test-zip` distribution from Maven Central (cached under .cache/elasticsearch), starts it on
 * a free local port with the machine's JDK, waits until it answers, and stops it.
 * Elasticsearch refuses to run as root, so as root it runs as an unprivileged user it creates.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const MAVEN = "https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch";
const CACHE = path.resolve(process.env.ES_CACHE_DIR ?? ".cache/elasticsearch");
const ES_USER = "photosearch-es";

export interface LocalCluster {
  url: string;
  version: string;
  stop(): Promise<void>;
}

/** The newest 8.x release listed in Maven Central's metadata, or the newest one already cached. */
export async function newestVersion(): Promise<string> {
  const pinned = process.env.ES_VERSION;
  if (pinned) return pinned;
  try {
    const xml = await (await fetch(`${MAVEN}/maven-metadata.xml`, { signal: AbortSignal.timeout(15_000) })).text();
    const versions = [...xml.matchAll(/<version>(8\.\d+\.\d+)<\/version>/g)].map((m) => m[1]!);
    if (versions.length) return versions.sort(compareVersions).at(-1)!;
  } catch {
    // offline: fall back to the cache below
  }
  const cached = fs.existsSync(CACHE) ? fs.readdirSync(CACHE).filter((v) => /^8\.\d+\.\d+$/.test(v)) : [];
  if (cached.length) return cached.sort(compareVersions).at(-1)!;
  throw new Error("cannot reach Maven Central and no Elasticsearch is cached in .cache/elasticsearch");
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number)) as [number[], number[]];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Downloads and unpacks a distribution once; returns its home folder. */
export async function ensureDistribution(version: string): Promise<string> {
  const home = path.join(CACHE, version, `elasticsearch-${version}`);
  if (fs.existsSync(path.join(home, "bin", "elasticsearch"))) return home;
  fs.mkdirSync(path.dirname(home), { recursive: true });
  const zip = path.join(CACHE, version, "distribution.zip");
  const url = `${MAVEN}/${version}/elasticsearch-${version}.zip`;
  process.stderr.write(`downloading ${url}\n`);
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`download failed: HTTP ${response.status} for ${url}`);
  fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
  try {
    execFileSync("unzip", ["-q", "-o", zip, "-d", path.dirname(home)]);
  } catch {
    // No unzip on this machine: Python's zipfile module does the same.
    execFileSync("python3", ["-m", "zipfile", "-e", zip, path.dirname(home)]);
    execFileSync(
      "chmod",
      ["-R", "u+x", path.join(home, "bin"), path.join(home, "jdk")].filter((p) => fs.existsSync(p)),
    );
  }
  fs.rmSync(zip);
  return home;
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

function javaHome(): string {
  if (process.env.ES_JAVA_HOME) return process.env.ES_JAVA_HOME;
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  const java = execFileSync("sh", ["-c", 'readlink -f "$(command -v java)"']).toString().trim();
  if (!java) throw new Error("no java on PATH: install a JDK 17 or set ES_JAVA_HOME");
  return path.dirname(path.dirname(java));
}

function ensureUser(): void {
  try {
    execFileSync("id", ["-u", ES_USER], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_USER]);
  }
}

export interface StartOptions {
  heap?: string;
  /** Extra `-E key=value` settings. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export async function startCluster(options: StartOptions = {}): Promise<LocalCluster> {
  const version = await newestVersion();
  const home = await ensureDistribution(version);
  const port = await freePort();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "photo-search-es-"));
  const asRoot = process.getuid?.() === 0;
  const settings: Record<string, string> = {
    "cluster.name": "photo-search-test",
    "discovery.type": "single-node",
    "http.host": "127.0.0.1",
    "http.port": String(port),
    "transport.port": "0",
    "path.data": path.join(work, "data"),
    "path.logs": path.join(work, "logs"),
    "xpack.security.enabled": "false",
    "cluster.routing.allocation.disk.threshold_enabled": "false",
    ...options.settings,
  };
  const args = Object.entries(settings).flatMap(([key, value]) => ["-E", `${key}=${value}`]);
  const env = {
    ...process.env,
    ES_JAVA_HOME: javaHome(),
    ES_JAVA_OPTS: `-Xms${options.heap ?? "1g"} -Xmx${options.heap ?? "1g"}`,
    ES_TMPDIR: path.join(work, "tmp"),
  };
  fs.mkdirSync(env.ES_TMPDIR, { recursive: true });
  let child: ChildProcess;
  if (asRoot) {
    ensureUser();
    // The distribution writes into its own config folder on start (keystore), so it is the user's too.
    execFileSync("chown", ["-R", `${ES_USER}:${ES_USER}`, work, home]);
    child = spawn("runuser", ["-u", ES_USER, "--", path.join(home, "bin", "elasticsearch"), ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
  } else {
    child = spawn(path.join(home, "bin", "elasticsearch"), args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  }
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
  const url = `http://127.0.0.1:${port}`;
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
  const stop = async () => {
    process.off("exit", killOnExit);
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(work, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, version, stop };
}

async function waitForHealth(url: string, child: ChildProcess, output: string[], timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Elasticsearch exited with ${child.exitCode}:\n${output.slice(-30).join("\n")}`);
    try {
      const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=5s`, { signal: AbortSignal.timeout(6_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`Elasticsearch did not become healthy within ${timeoutMs / 1000}s:\n${output.slice(-30).join("\n")}`);
}
