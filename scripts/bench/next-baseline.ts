/**
 * The framework alone, for section 11: a Next.js page with one paragraph and nothing else (no
 * stylesheet, no client component, no data), built in this run with the project's own Next and
 * React and served by `next start`. Whatever Lighthouse scores it on a machine is the most any page
 * of this app can score there: the gallery's pages cost more than it, never less.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../elasticsearch/local-cluster";
import { type RunningServer, stopChild, untilAnswering } from "./server";

/** The baseline's row in section 11. */
export const FRAMEWORK_PAGE = "baseline: the framework alone (Next.js, one paragraph)";

const PAGE_FILES: Record<string, string> = {
  // A title, as every page should have (Lighthouse's accessibility audits ask for one).
  "app/layout.jsx": `export const metadata = { title: "Baseline" };

export default function Layout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  // Rendered for each request, as the gallery's pages are (not prerendered to a static file).
  "app/page.jsx": `export const dynamic = "force-dynamic";

export default function Page() {
  return (
    <main>
      <p>The library is empty. Add photos with: npm run ingest -- folder, or upload one.</p>
    </main>
  );
}
`,
  "package.json": `{ "name": "next-baseline", "private": true }\n`,
};

/** The deepest folder holding both paths: Turbopack resolves nothing outside its root, and node_modules is the project's. */
export function commonRoot(a: string, b: string): string {
  const left = path.resolve(a).split(path.sep);
  const right = path.resolve(b).split(path.sep);
  let shared = 0;
  while (shared < left.length && shared < right.length && left[shared] === right[shared]) shared++;
  return left.slice(0, shared).join(path.sep) || path.parse(path.resolve(a)).root;
}

/** Builds the one-paragraph app in a temporary folder and starts it; stop() ends the server and removes the folder. */
export async function startFrameworkBaseline(projectRoot = process.cwd()): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-next-baseline-"));
  const modules = fs.realpathSync(path.join(projectRoot, "node_modules"));
  let child: ChildProcess | undefined;
  try {
    for (const [file, text] of Object.entries(PAGE_FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    fs.writeFileSync(
      path.join(dir, "next.config.mjs"),
      `export default { turbopack: { root: ${JSON.stringify(commonRoot(dir, modules))} } };\n`,
    );
    fs.symlinkSync(modules, path.join(dir, "node_modules"), "dir");
    const next = path.join(modules, "next/dist/bin/next");
    const env = { ...process.env, NODE_ENV: "production" as const, NEXT_TELEMETRY_DISABLED: "1" };
    execFileSync(process.execPath, [next, "build", dir], { env, stdio: ["ignore", "ignore", "inherit"] });
    const port = await freePort();
    child = spawn(process.execPath, [next, "start", dir, "--port", String(port), "--hostname", "127.0.0.1"], {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const url = `http://127.0.0.1:${port}`;
    await untilAnswering(child, url, { timeoutMs: 60_000, name: "the baseline's Next.js server" });
    const server = child;
    return {
      url,
      async stop() {
        await stopChild(server);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child?.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
