/**
 * npm start: runs what `next build` made and the container runs, the standalone server
 * (.next/standalone/server.js), with the static assets and public folder beside it as the
 * Dockerfile's COPY steps put them. `next start` does not serve a standalone build.
 * PORT (5001) and HOSTNAME (0.0.0.0) as for the container; relative paths in the settings
 * (DATA_DIR, MODEL_DIR…) stay relative to the folder npm start was run in (BASE_DIR), since the
 * standalone server changes into its own folder.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const standalone = path.resolve(".next/standalone");
const server = path.join(standalone, "server.js");
if (!fs.existsSync(server)) {
  console.error("No production build: run npm run build first.");
  process.exit(1);
}
fs.cpSync(".next/static", path.join(standalone, ".next/static"), { recursive: true });
if (fs.existsSync("public")) fs.cpSync("public", path.join(standalone, "public"), { recursive: true });

const child = spawn(process.execPath, [server], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    PORT: process.env.PORT ?? "5001",
    HOSTNAME: process.env.HOSTNAME ?? "0.0.0.0",
    BASE_DIR: process.env.BASE_DIR ?? process.cwd(),
  },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
