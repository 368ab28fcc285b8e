/**
 * npm run es:start [-- --port 9200] [--version 8|9|9.1.0] [--security] [--no-tls] [--data <dir>] [--heap 1g]
 * Starts a local single-node Elasticsearch for development (the test distribution from Maven Central,
 * cached in .cache/elasticsearch), prints the settings that point the app at it, and stops it on Ctrl-C.
 * With --security: the `elastic` user with a random password (or --password), and TLS with a CA made
 * by the distribution's elasticsearch-certutil unless --no-tls.
 */
import { parseArgs } from "node:util";
import { startCluster } from "./local-cluster";

const USAGE =
  "usage: npm run es:start -- [--port 9200] [--version 8|9|<x.y.z>] [--security] [--no-tls] [--password <pw>] [--data <dir>] [--heap 1g]";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "9200" },
      version: { type: "string" },
      security: { type: "boolean", default: false },
      "no-tls": { type: "boolean", default: false },
      password: { type: "string" },
      data: { type: "string" },
      heap: { type: "string", default: "1g" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port must be a port number\n${USAGE}`);
  console.log(`starting Elasticsearch ${values.version ?? process.env.ES_VERSION ?? "8 (newest)"} on port ${port}…`);
  const cluster = await startCluster({
    version: values.version,
    port,
    heap: values.heap,
    dataDir: values.data,
    security: values.security ? { tls: !values["no-tls"], password: values.password } : undefined,
  });
  const env = [`ES_HOST=${cluster.url}`];
  if (cluster.security) env.push(`ES_USER=${cluster.security.username}`, `ES_PWD=${cluster.security.password}`);
  if (cluster.security?.caCertPath) env.push(`ES_CA_CERT=${cluster.security.caCertPath}`);
  console.log(`\nElasticsearch ${cluster.version} is up at ${cluster.url}`);
  if (cluster.security) console.log(`user: ${cluster.security.username}  password: ${cluster.security.password}`);
  if (cluster.security?.caFingerprint) {
    console.log(`CA certificate: ${cluster.security.caCertPath}`);
    console.log(`CA fingerprint (SHA-256): ${cluster.security.caFingerprint}`);
  }
  console.log(`\nRun the app against it:\n  ${env.join(" ")} npm run dev`);
  if (cluster.security?.caFingerprint)
    console.log(`or with the fingerprint instead of the file: ES_CA_FINGERPRINT=${cluster.security.caFingerprint}`);
  console.log(values.data ? `\ndata is kept in ${values.data}` : "\ndata is temporary (--data <dir> keeps it)");
  console.log("Ctrl-C stops it.");
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log("stopping Elasticsearch…");
    void cluster.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  await new Promise(() => {}); // runs until a signal arrives
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
