# syntax=docker/dockerfile:1
# Photo search: the Next.js standalone server on a glibc base (onnxruntime-node has no musl build).
#   docker build -t photo-search .
#   docker build --build-arg PRELOAD_MODELS=true -t photo-search:offline .   # models baked in
# Node 24, the active LTS (20 reached its end of life in April 2026); CI and laptops may run 20.9+,
# the same lock installs on both (every native module is N-API or builds here: see below).
# Expected size: ~450 MB without models. node:24-bookworm-slim is ~200 MB; onnxruntime-node's CPU
# libraries (~60 MB), sharp's libvips (~20 MB), better-sqlite3 and the traced server make up the
# rest. PRELOAD_MODELS adds the CLIP towers (~350 MB fp32 vision + ~65 MB int8 text).

FROM node:24-bookworm-slim AS deps
WORKDIR /app
# Compilers for better-sqlite3 (the one module built for a Node ABI; sharp, onnxruntime-node and
# usearch ship N-API binaries), which builds from source when no prebuilt binary can be fetched.
# Versions are Debian bookworm's; pinning them would break on every point release.
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build

# Optional: download the configured models at build time for clusters without internet access
# (the same command users run by hand: npm run models:fetch -- --dir <folder>).
FROM build AS models
ARG PRELOAD_MODELS=false
ARG IMAGE_MODEL=Xenova/clip-vit-base-patch32
ARG TEXT_MODEL=
ENV MODEL_CACHE_DIR=/models IMAGE_MODEL=${IMAGE_MODEL} TEXT_MODEL=${TEXT_MODEL}
RUN mkdir -p /models && if [ "$PRELOAD_MODELS" = "true" ]; then npm run models:fetch -- --dir /models; fi

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=5001 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data \
    MODEL_CACHE_DIR=/models
RUN groupadd --system --gid 10001 photos \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app photos \
 && mkdir -p /data /models && chown 10001:10001 /data /models
COPY --from=build --chown=10001:10001 /app/.next/standalone ./
COPY --from=build --chown=10001:10001 /app/.next/static ./.next/static
COPY --from=build --chown=10001:10001 /app/public ./public
COPY --from=models --chown=10001:10001 /models /models
USER 10001:10001
EXPOSE 5001
VOLUME ["/data", "/models"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||5001)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]
