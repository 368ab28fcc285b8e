/**
 * Elasticsearch test distributions: which version to run, where its `integ-test-zip` lives on Maven
 * Central, unpacking it once into the cache, and which JDK can run it (8.x needs 17+, 9.x 21+).
 * The integ-test zip holds the core modules and x-pack security (with elasticsearch-certutil and
 * elasticsearch-keystore), but no ML, analysis-common or rrf.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const MAVEN = "https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch";
export const CACHE = path.resolve(process.env.ES_CACHE_DIR ?? ".cache/elasticsearch");

/**
 * Maven Central's maven-metadata.xml for this artifact stops at 8.19.x although 9.x zips are
 * published beside it; these are the newest releases of each major known to be there (ES_VERSION
 * picks any other). Newer listed versions win over these.
 */
const KNOWN_NEWEST: Record<number, string> = { 8: "8.19.21", 9: "9.2.8" };

const EXACT = /^\d+\.\d+\.\d+$/;

export function majorOf(version: string): number {
  return Number(version.split(".")[0]);
}

export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

async function listedVersions(): Promise<string[]> {
  try {
    const response = await fetch(`${MAVEN}/maven-metadata.xml`, { signal: AbortSignal.timeout(15_000) });
    const xml = await response.text();
    return [...xml.matchAll(/<version>(\d+\.\d+\.\d+)<\/version>/g)].flatMap((m) => (m[1] ? [m[1]] : []));
  } catch {
    return []; // offline: the cache decides below
  }
}

function cachedVersions(): string[] {
  return fs.existsSync(CACHE) ? fs.readdirSync(CACHE).filter((v) => EXACT.test(v) && isUnpacked(v)) : [];
}

function newest(versions: string[]): string | undefined {
  return [...versions].sort(compareVersions).at(-1);
}

/**
 * Turns a request into an exact version: "9.1.0" stays; "9" or "8" means the newest release of that
 * major (Maven Central's list, the known newest, or offline the newest cached). Default: ES_VERSION,
 * else the newest 8.x.
 */
export async function resolveVersion(request = process.env.ES_VERSION || "8"): Promise<string> {
  if (EXACT.test(request)) return request;
  if (!/^\d+$/.test(request)) throw new Error(`Elasticsearch version "${request}" is neither a major (9) nor a release (9.1.0)`);
  const major = Number(request);
  const ofMajor = (versions: string[]) => versions.filter((v) => majorOf(v) === major);
  const known = KNOWN_NEWEST[major];
  const online = newest([...ofMajor(await listedVersions()), ...(known ? [known] : [])]);
  const found = online ?? newest(ofMajor(cachedVersions()));
  if (!found) throw new Error(`no Elasticsearch ${major}.x is known on Maven Central or cached in ${CACHE}`);
  return found;
}

function homeOf(version: string): string {
  return path.join(CACHE, version, `elasticsearch-${version}`);
}

function isUnpacked(version: string): boolean {
  return fs.existsSync(path.join(homeOf(version), "bin", "elasticsearch"));
}

export function unzip(zip: string, into: string): void {
  try {
    execFileSync("unzip", ["-q", "-o", zip, "-d", into]);
  } catch {
    // No unzip on this machine: Python's zipfile module does the same (without file modes).
    execFileSync("python3", ["-m", "zipfile", "-e", zip, into]);
    execFileSync("chmod", ["-R", "a+rX", into]);
    const bin = fs.readdirSync(into).map((entry) => path.join(into, entry, "bin"));
    for (const folder of bin.filter((b) => fs.existsSync(b))) execFileSync("chmod", ["-R", "a+x", folder]);
  }
}

/**
 * Downloads and unpacks a distribution once; returns its home folder. Unpacks into a private folder
 * and renames it into place, so two runs sharing ES_CACHE_DIR never see a half-written distribution.
 */
export async function ensureDistribution(version: string): Promise<string> {
  const home = homeOf(version);
  if (isUnpacked(version)) return home;
  const url = `${MAVEN}/${version}/elasticsearch-${version}.zip`;
  process.stderr.write(`downloading ${url}\n`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download failed: HTTP ${response.status} for ${url}`);
  fs.mkdirSync(CACHE, { recursive: true }); // a fresh clone has no cache yet
  const staging = fs.mkdtempSync(path.join(CACHE, `.${version}-`));
  try {
    const zip = path.join(staging, "distribution.zip");
    fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
    unzip(zip, staging);
    fs.mkdirSync(path.dirname(home), { recursive: true });
    if (!isUnpacked(version)) fs.renameSync(path.join(staging, `elasticsearch-${version}`), home);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return home;
}

/** The feature release of a JDK home (17, 21, 25), read from its `release` file. */
function jdkRelease(home: string): number | undefined {
  try {
    const release = fs.readFileSync(path.join(home, "release"), "utf8");
    const match = /^JAVA_VERSION="(\d+)/m.exec(release);
    return match?.[1] ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function pathJava(): string | undefined {
  try {
    const java = execFileSync("sh", ["-c", 'readlink -f "$(command -v java)"']).toString().trim();
    return java ? path.dirname(path.dirname(java)) : undefined;
  } catch {
    return undefined;
  }
}

function installedJdks(): string[] {
  const root = "/usr/lib/jvm";
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .map((entry) => path.join(root, entry))
    .filter((home) => fs.existsSync(path.join(home, "bin", "java")) && !fs.lstatSync(home).isSymbolicLink())
    .sort((a, b) => (jdkRelease(a) ?? 0) - (jdkRelease(b) ?? 0));
}

export function requiredJdk(version: string): number {
  return majorOf(version) >= 9 ? 21 : 17;
}

/**
 * A JDK that can run this version: ES_JAVA_HOME or JAVA_HOME when new enough, then the `java` on
 * PATH, then the oldest sufficient JDK in /usr/lib/jvm (9.x on a machine whose default is JDK 17
 * finds a JDK 21+ there without configuration).
 */
export function javaHomeFor(version: string): string {
  const needed = requiredJdk(version);
  const candidates = [process.env.ES_JAVA_HOME, process.env.JAVA_HOME, pathJava(), ...installedJdks()].filter((home): home is string =>
    Boolean(home),
  );
  const fit = candidates.find((home) => (jdkRelease(home) ?? 0) >= needed);
  if (fit) return fit;
  throw new Error(
    `Elasticsearch ${version} needs JDK ${needed} or newer; found ${candidates.map((c) => `${c} (${jdkRelease(c) ?? "?"})`).join(", ") || "none"}. Install one or set ES_JAVA_HOME.`,
  );
}
