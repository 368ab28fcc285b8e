/**
 * TLS towards Elasticsearch: a CA file, or a CA fingerprint alone (as Kibana and Beats accept it),
 * and failures explained with their cause and the setting that fixes them.
 *
 * With only a fingerprint, the cluster's CA is unknown until it presents its chain. Like Beats'
 * `ca_trusted_fingerprint`, the agent below reads the chain once without verifying it, takes the
 * certificate whose SHA-256 matches ES_CA_FINGERPRINT, and from then on verifies every connection
 * against that CA in full (signature, validity, host name). The client's own `caFingerprint` option
 * needs certificate verification off (`rejectUnauthorized: false`) to work with a private CA and then
 * compares the digest of the certificate found by name in the chain, without a signature check.
 */
import https from "node:https";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import fs from "node:fs";
import { HttpConnection, type ClientOptions } from "@elastic/elasticsearch";
import type { Config } from "@/lib/config";

type Settings = Pick<Config["elasticsearch"], "caCertPath" | "caFingerprint">;

const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Marks our own explanations, so translateError passes them on unchanged. */
export const TLS_FAILURE = "TLS: ";

function digest(certificate: tls.PeerCertificate): string {
  return certificate.fingerprint256.replaceAll(":", "").toLowerCase();
}

/** The presented chain, leaf first (getPeerCertificate links issuers; a root links to itself). */
function chainOf(leaf: tls.DetailedPeerCertificate): tls.DetailedPeerCertificate[] {
  const chain: tls.DetailedPeerCertificate[] = [];
  let certificate: tls.DetailedPeerCertificate | undefined = leaf;
  while (certificate?.raw && !chain.some((c) => digest(c) === digest(certificate!))) {
    chain.push(certificate);
    certificate = certificate.issuerCertificate;
  }
  return chain;
}

function toPem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** Reads the chain the server presents (unverified) and returns the certificate with this digest, as PEM. */
function presentedCa(options: tls.ConnectionOptions, fingerprint: string): Promise<string> {
  const where = `${options.host}:${options.port}`;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ ...options, rejectUnauthorized: false }, () => {
      const chain = chainOf(socket.getPeerCertificate(true));
      socket.destroy();
      const index = chain.findIndex((certificate) => digest(certificate) === fingerprint);
      const match = chain[index];
      if (match && index > 0) return resolve(toPem(match.raw));
      const presented = chain.map((c) => `${c.subject?.CN ?? "?"} ${digest(c)}`).join(", ");
      reject(
        new Error(
          index === 0
            ? `${TLS_FAILURE}ES_CA_FINGERPRINT is the fingerprint of ${where}'s own certificate, not of the CA that signed it; set the CA's (${presented})`
            : `${TLS_FAILURE}ES_CA_FINGERPRINT matches none of the certificates ${where} presents (${presented}); set the fingerprint of the cluster's CA, or ES_CA_CERT to the CA file`,
        ),
      );
    });
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => socket.destroy(new Error(`TLS handshake with ${where} timed out`)));
    socket.once("error", reject);
  });
}

/** An HTTPS agent that trusts exactly the CA with the given fingerprint, found in the server's chain. */
class CaFingerprintAgent extends https.Agent {
  private ca = new Map<string, Promise<string>>();

  constructor(
    private readonly fingerprint: string,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const target = options as tls.ConnectionOptions;
    const key = `${target.host}:${target.port}`;
    let ca = this.ca.get(key);
    if (!ca) {
      ca = presentedCa({ host: target.host, port: target.port, servername: target.servername }, this.fingerprint);
      ca.catch(() => this.ca.delete(key)); // try again on the next request
      this.ca.set(key, ca);
    }
    ca.then(
      (pem) => callback?.(null, tls.connect({ ...target, ca: pem, rejectUnauthorized: true })),
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** The client options for the configured trust: a CA file, a CA fingerprint, or the system's CAs. */
export function tlsClientOptions(settings: Settings): Partial<ClientOptions> {
  if (settings.caCertPath) return { tls: { ca: fs.readFileSync(settings.caCertPath) } };
  if (settings.caFingerprint) {
    const fingerprint = settings.caFingerprint;
    return {
      Connection: HttpConnection,
      agent: () => new CaFingerprintAgent(fingerprint, { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, scheduling: "lifo" }),
    };
  }
  return {};
}

const UNTRUSTED = [
  "self-signed certificate",
  "self signed certificate",
  "unable to get local issuer certificate",
  "unable to verify the first certificate",
  "unable to get issuer certificate",
  "certificate signature failure",
];

/**
 * What a failed connection means for TLS, with the setting that fixes it; undefined when the failure
 * is not about TLS (a refused connection, a timeout).
 */
export function explainTlsFailure(raw: string, node: URL, settings: Settings): string | undefined {
  if (raw.includes(TLS_FAILURE)) return raw.slice(raw.indexOf(TLS_FAILURE));
  // OpenSSL's errors come as "<hex>:error:<code>:SSL routines:<function>:<reason>:<file>:<line>": keep the reason.
  const message = raw
    .replace(/\s+/g, " ")
    .replace(/^.*SSL routines:[^:]*:([^:]+):.*$/, "$1")
    .trim();
  const text = message.toLowerCase();
  if (UNTRUSTED.some((pattern) => text.includes(pattern))) {
    if (settings.caCertPath)
      return `${TLS_FAILURE}the certificate of ${node.host} is not signed by the CA in ES_CA_CERT (${settings.caCertPath}): set ES_CA_CERT to the cluster's CA certificate, e.g. config/certs/http_ca.crt (${message})`;
    if (settings.caFingerprint)
      return `${TLS_FAILURE}the certificate of ${node.host} is not signed by the CA whose fingerprint ES_CA_FINGERPRINT names (${message})`;
    return `${TLS_FAILURE}the certificate of ${node.host} is signed by a CA this server does not trust (${message}): set ES_CA_CERT to the cluster's CA certificate (PEM) or ES_CA_FINGERPRINT to its SHA-256 fingerprint`;
  }
  if (text.includes("does not match certificate's altnames") || text.includes("err_tls_cert_altname_invalid")) {
    return `${TLS_FAILURE}the certificate of ${node.host} is not issued for the host name ${node.hostname} (${message}): set ES_HOST to a name the certificate lists, or give the node a certificate for ${node.hostname}`;
  }
  if (text.includes("certificate has expired") || text.includes("certificate is not yet valid")) {
    return `${TLS_FAILURE}the certificate of ${node.host} is outside its validity period (${message}): renew it on the cluster, and check this machine's clock`;
  }
  if (text.includes("wrong version number") || text.includes("packet length too long") || text.includes("http request")) {
    return `${TLS_FAILURE}${node.host} does not speak TLS (${message}): set ES_HOST to http://${node.host}, or turn on TLS on the cluster`;
  }
  return undefined;
}
