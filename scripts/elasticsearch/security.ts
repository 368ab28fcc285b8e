/**
 * Security and TLS for a local node, set up the way an operator would with the distribution's own
 * tools: `elasticsearch-certutil` makes a CA and an HTTP certificate for localhost/127.0.0.1 (PEM),
 * `elasticsearch-keystore` holds the `elastic` user's bootstrap password, roles go in `roles.yml` and
 * users in the file realm (`elasticsearch-users`). The native realm and API keys cannot be used: they
 * live in the `.security` index, whose mapping needs the analysis-common module that the test
 * distribution lacks. Everything is written into the node's private config folder (ES_PATH_CONF),
 * never into the cached distribution.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { unzip } from "./distribution";

export interface SecurityOptions {
  /** HTTPS on the REST port (default true). */
  tls?: boolean;
  /** The `elastic` user's password (default: random per node). */
  password?: string;
  /** Roles for `roles.yml` (the role API's JSON body under each name). */
  roles?: Record<string, unknown>;
  /** File-realm users (elasticsearch-users useradd). */
  users?: { username: string; password: string; roles: string[] }[];
}

export interface NodeSecurity {
  username: "elastic";
  password: string;
  /** The CA that signed the node's HTTP certificate (PEM), when TLS is on. */
  caCertPath?: string;
  /** Its SHA-256 fingerprint, lower-case hex without colons, as Elasticsearch prints it. */
  caFingerprint?: string;
}

export interface Tools {
  home: string;
  env: NodeJS.ProcessEnv;
}

/** Runs one of the distribution's CLI tools (each is a JVM start: several seconds on a busy machine). */
function tool(tools: Tools, name: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(path.join(tools.home, "bin", name), args, { env: tools.env }, (error, stdout, stderr) =>
      error ? reject(new Error(`${name} ${args[0]} failed: ${stderr || stdout || error.message}`)) : resolve(),
    );
    child.stdin?.end(input ?? "");
  });
}

/** A new CA made by `elasticsearch-certutil ca --pem`; returns the paths of its certificate and key. */
export async function makeCa(tools: Tools, folder: string): Promise<{ cert: string; key: string }> {
  fs.mkdirSync(folder, { recursive: true });
  const zip = path.join(folder, "ca.zip");
  await tool(tools, "elasticsearch-certutil", ["ca", "--pem", "--silent", "--out", zip]);
  unzip(zip, folder);
  fs.rmSync(zip);
  return { cert: path.join(folder, "ca", "ca.crt"), key: path.join(folder, "ca", "ca.key") };
}

async function makeNodeCertificate(tools: Tools, ca: { cert: string; key: string }, folder: string) {
  const zip = path.join(folder, "node.zip");
  const args = ["cert", "--pem", "--silent", "--ca-cert", ca.cert, "--ca-key", ca.key, "--name", "node"];
  await tool(tools, "elasticsearch-certutil", [...args, "--dns", "localhost", "--ip", "127.0.0.1", "--out", zip]);
  unzip(zip, folder);
  fs.rmSync(zip);
  return { cert: path.join(folder, "node", "node.crt"), key: path.join(folder, "node", "node.key") };
}

export function fingerprintOf(certPath: string): string {
  return new crypto.X509Certificate(fs.readFileSync(certPath)).fingerprint256.replaceAll(":", "").toLowerCase();
}

/**
 * Writes certificates and the bootstrap password into `configDir`; returns the node settings that
 * turn security (and TLS) on, and what a client needs to connect.
 */
export async function prepareSecurity(
  tools: Tools,
  configDir: string,
  options: SecurityOptions,
): Promise<{ settings: Record<string, string>; security: NodeSecurity }> {
  const password = options.password ?? crypto.randomBytes(12).toString("base64url");
  // `add --force` creates the keystore too; the CA is made meanwhile (each tool is a JVM start).
  const keystore = tool(tools, "elasticsearch-keystore", ["add", "--force", "--stdin", "bootstrap.password"], password);
  // YAML is a superset of JSON: the role API's bodies go into roles.yml as they are.
  if (options.roles) fs.writeFileSync(path.join(configDir, "roles.yml"), JSON.stringify(options.roles, null, 2));
  const users = (async () => {
    for (const user of options.users ?? []) {
      await tool(tools, "elasticsearch-users", ["useradd", user.username, "-p", user.password, "-r", user.roles.join(",")]);
    }
  })();
  const settings: Record<string, string> = { "xpack.security.enabled": "true" };
  const security: NodeSecurity = { username: "elastic", password };
  if (options.tls === false) {
    await Promise.all([keystore, users]);
    return { settings, security };
  }
  const certs = path.join(configDir, "certs");
  const [ca] = await Promise.all([makeCa(tools, certs), keystore, users]);
  const node = await makeNodeCertificate(tools, ca, certs);
  // The node presents its certificate followed by the CA, as the chain Elasticsearch's own
  // auto-configuration serves: clients that trust a CA fingerprint find the CA in it.
  fs.writeFileSync(path.join(certs, "http.crt"), fs.readFileSync(node.cert, "utf8") + fs.readFileSync(ca.cert, "utf8"));
  Object.assign(settings, {
    "xpack.security.http.ssl.enabled": "true",
    "xpack.security.http.ssl.certificate": "certs/http.crt",
    "xpack.security.http.ssl.key": path.relative(configDir, node.key),
  });
  return { settings, security: { ...security, caCertPath: ca.cert, caFingerprint: fingerprintOf(ca.cert) } };
}
