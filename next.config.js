/** @type {import('next').NextConfig} */
const nextConfig = {
  // A self-contained server in .next/standalone for the container image.
  output: "standalone",
  // Native modules and model runtimes load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["better-sqlite3", "onnxruntime-node", "sharp", "@huggingface/transformers", "exifr"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
