/**
 * Validation of the Elasticsearch TLS settings, so a bad value stops start-up naming its variable
 * instead of failing every request: the CA file must exist and hold a PEM certificate, the CA
 * fingerprint must be a SHA-256 digest, and either needs an https:// ES_HOST.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { ConfigError } from "./errors";

export interface TlsSettings {
  caCertPath?: string;
  /** Lower-case hex without colons. */
  caFingerprint?: string;
}

/**
 * Accepts the fingerprint as Elasticsearch prints it at first start (64 hex digits), as Kibana and
 * openssl write it (colon-separated upper-case pairs), or openssl's whole `sha256 Fingerprint=…` line.
 */
export function normalizeFingerprint(value: string): string {
  const hex = value
    .trim()
    .replace(/^sha-?256\s+fingerprint\s*=\s*/i, "")
    .replace(/[:\s]/g, "")
    .toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new ConfigError(
      "ES_CA_FINGERPRINT",
      "must be the SHA-256 fingerprint of the cluster's CA certificate: 64 hex digits, with or without colons (Elasticsearch prints it at first start)",
    );
  }
  return hex;
}

function readCaCertificate(file: string): crypto.X509Certificate {
  let pem: string;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read (${(error as Error).message})`;
    throw new ConfigError(
      "ES_CA_CERT",
      `names ${file}, which ${reason}; set it to the cluster's CA certificate (PEM), e.g. config/certs/http_ca.crt`,
    );
  }
  try {
    return new crypto.X509Certificate(pem);
  } catch {
    throw new ConfigError("ES_CA_CERT", `names ${file}, which holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
}

/** Checks the TLS settings against the node URL; returns them normalized. */
export function validateTls(node: string | undefined, caCertPath: string | undefined, caFingerprint: string | undefined): TlsSettings {
  const fingerprint = caFingerprint === undefined ? undefined : normalizeFingerprint(caFingerprint);
  const certificate = caCertPath === undefined ? undefined : readCaCertificate(caCertPath);
  if (node && new URL(node).protocol === "http:") {
    const variable = fingerprint ? "ES_CA_FINGERPRINT" : certificate ? "ES_CA_CERT" : undefined;
    if (variable)
      throw new ConfigError(variable, `is set but ES_HOST (${new URL(node).host}) is http://: use https:// (TLS), or unset ${variable}`);
  }
  if (certificate && fingerprint && certificate.fingerprint256.replaceAll(":", "").toLowerCase() !== fingerprint) {
    throw new ConfigError("ES_CA_FINGERPRINT", `does not match the certificate in ES_CA_CERT (${caCertPath}); set one of them`);
  }
  return { caCertPath, caFingerprint: fingerprint };
}
