# syntax=docker/dockerfile:1
# Multi-stage build of the Next.js standalone server. glibc base: onnxruntime-node has no musl build.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=5001 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data \
    MODEL_CACHE_DIR=/models
RUN useradd --system --uid 10001 --home-dir /app photos && mkdir -p /data /models && chown photos /data /models
COPY --from=build --chown=photos /app/.next/standalone ./
COPY --from=build --chown=photos /app/.next/static ./.next/static
COPY --from=build --chown=photos /app/public ./public
USER photos
EXPOSE 5001
VOLUME ["/data", "/models"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||5001)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server.js"]
