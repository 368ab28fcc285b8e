/**
 * A real cluster of several nodes on this machine: the same distribution as the single test node
 * (scripts/elasticsearch/local-cluster.ts), one process per node, each with its own HTTP and transport
 * port and data folder, discovering each other through discovery.seed_hosts and electing the first
 * master among cluster.initial_master_nodes. Every node holds every role (master, data, ingest), so
 * any one can die and the other two keep a quorum. For failover tests and benchmarks.
 */
import { freePort, startCluster, type LocalCluster, type StartOptions } from "./local-cluster";

export interface MultiNodeCluster {
  version: string;
  /** Every node's HTTP address, in node order: ES_HOST is these joined by commas. */
  urls: string[];
  nodes: LocalCluster[];
  /** SIGKILLs node i (a machine that dies); the others elect a new master if needed and promote replicas. */
  kill(i: number): Promise<void>;
  stop(): Promise<void>;
}

export interface MultiNodeOptions extends Omit<StartOptions, "port" | "join" | "security" | "dataDir"> {
  /** Default 3: the smallest cluster that keeps a master quorum when one node dies. */
  count?: number;
  /**
   * Node i listens on basePort + 2i (HTTP) and basePort + 2i + 1 (transport): a range of one's own on
   * a machine shared with other clusters. Default: free ports chosen by the system.
   */
  basePort?: number;
}

export async function startNodes(options: MultiNodeOptions = {}): Promise<MultiNodeCluster> {
  const count = options.count ?? 3;
  const httpPorts: number[] = [];
  const transportPorts: number[] = [];
  for (let i = 0; i < count; i++) {
    httpPorts.push(options.basePort ? options.basePort + 2 * i : await freePort());
    transportPorts.push(options.basePort ? options.basePort + 2 * i + 1 : await freePort());
  }
  // A name of its own: on a machine shared with other test clusters, nodes never join the wrong one.
  const clusterName = `photo-search-${process.pid}-${Date.now().toString(36)}`;
  const names = httpPorts.map((_, i) => `node-${i}`);
  const seedHosts = transportPorts.map((port) => `127.0.0.1:${port}`);
  // All nodes start at once: each waits until the cluster has formed, which needs a majority of them.
  const started = await Promise.allSettled(
    names.map((nodeName, i) =>
      startCluster({
        version: options.version,
        heap: options.heap,
        settings: options.settings,
        log: options.log,
        port: httpPorts[i],
        join: { clusterName, nodeName, transportPort: transportPorts[i]!, seedHosts, initialMasterNodes: names },
      }),
    ),
  );
  const nodes = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failure = started.find((result) => result.status === "rejected");
  if (failure) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw (failure as PromiseRejectedResult).reason;
  }
  return {
    version: nodes[0]!.version,
    urls: nodes.map((node) => node.url),
    nodes,
    kill: (i) => nodes[i]!.kill(),
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
}
