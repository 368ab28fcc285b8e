/** @type {import('next').NextConfig} */
const nextConfig = {
  // A self-contained server in .next/standalone for the container image.
  output: "standalone",
  // Native modules and model runtimes load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["better-sqlite3", "onnxruntime-node", "sharp", "@huggingface/transformers", "exifr"],
  // Output tracing follows require() but not the shared library that onnxruntime's binding loads by
  // rpath; without it the standalone server cannot start (e2e/container.spec.ts checks this).
  outputFileTracingIncludes: {
    "/**": ["./node_modules/onnxruntime-node/bin/napi-v*/linux/*/libonnxruntime.so*"],
  },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
