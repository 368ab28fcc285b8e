/**
 * Ingest survives real folders: the walker on special files, symlinks and unsupported formats, and
 * the CLI on an unreadable subfolder and file. Tests run as root in CI, where permissions do not
 * stop a read; there the CLI runs as the unprivileged user `nobody` (uid 65534), for whom the
 * chmod'd folder and file really are unreadable.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { PROJECT, TEST_MODEL_ENV, distinctJpeg, tempDir } from "@/lib/testing";
import { scanFolder } from "./files";

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const servers: net.Server[] = [];

after(() => servers.forEach((server) => server.close()));

describe("scanning a real folder", () => {
  it("never opens special files, follows symlinks only to files inside, and names unsupported formats", async () => {
    const dir = fs.realpathSync(tempDir());
    fs.mkdirSync(path.join(dir, "sub"));
    fs.writeFileSync(path.join(dir, "a.jpg"), await distinctJpeg(1));
    fs.writeFileSync(path.join(dir, "sub", "b.jpg"), await distinctJpeg(2));
    fs.writeFileSync(path.join(dir, "c.jxl"), "JPEG XL bytes");
    fs.writeFileSync(path.join(dir, "d.CR2"), "raw bytes");
    fs.writeFileSync(path.join(dir, "notes.txt"), "not a photo, not named");
    execFileSync("mkfifo", [path.join(dir, "fifo.jpg")]);
    const server = net.createServer().listen(path.join(dir, "socket.jpg"));
    servers.push(server);
    await new Promise((resolve) => server.once("listening", resolve));
    const outside = path.join(tempDir(), "outside.jpg");
    fs.writeFileSync(outside, await distinctJpeg(3));
    fs.symlinkSync(path.join(dir, "a.jpg"), path.join(dir, "link-inside.jpg"));
    fs.symlinkSync(outside, path.join(dir, "link-outside.jpg"));
    fs.symlinkSync(path.join(dir, "sub"), path.join(dir, "link-folder"));
    fs.symlinkSync(path.join(dir, "nothing.jpg"), path.join(dir, "link-broken.jpg"));
    fs.symlinkSync("/dev/null", path.join(dir, "link-device.jpg"));

    const scan = scanFolder(dir);
    assert.deepEqual(
      scan.files.map((f) => path.relative(dir, f)),
      ["a.jpg", "link-inside.jpg", "sub/b.jpg"],
    );
    const reasons = Object.fromEntries(scan.skipped.map((s) => [path.relative(dir, s.file), s.reason]));
    assert.deepEqual(reasons, {
      "c.jxl": "unsupported format: JPEG XL (.jxl)",
      "d.CR2": "unsupported format: camera raw (.cr2)",
      "fifo.jpg": "a FIFO: never opened",
      "socket.jpg": "a socket: never opened",
      "link-outside.jpg": "symlink to a file outside the folder: not followed",
      "link-folder": "symlink to a folder: not followed",
      "link-broken.jpg": "symlink to nothing (broken): skipped",
      "link-device.jpg": "symlink to a special file: never opened",
    });
    assert.deepEqual(scan.unreadable, []);
  });
});

describe("an ingest of a folder with an unreadable subfolder and file", () => {
  it(`reports and skips them, and indexes the rest${asRoot ? " (run as uid nobody)" : ""}`, async () => {
    const base = tempDir();
    fs.chmodSync(base, 0o755);
    const folder = path.join(base, "photos");
    const dataDir = path.join(base, "data");
    fs.mkdirSync(path.join(folder, "locked"), { recursive: true });
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(folder, "ok-1.jpg"), await distinctJpeg(11));
    fs.writeFileSync(path.join(folder, "ok-2.jpg"), await distinctJpeg(12));
    fs.writeFileSync(path.join(folder, "locked", "hidden.jpg"), await distinctJpeg(13));
    fs.writeFileSync(path.join(folder, "unreadable.jpg"), await distinctJpeg(14));
    if (asRoot) {
      for (const p of [base, folder, dataDir, path.join(folder, "locked"), ...fs.readdirSync(folder).map((f) => path.join(folder, f))]) {
        fs.chownSync(p, NOBODY, NOBODY);
      }
    }
    fs.chmodSync(path.join(folder, "locked"), 0o000);
    fs.chmodSync(path.join(folder, "unreadable.jpg"), 0o000);

    const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT, "scripts/ingest.ts"), folder, "--json", "--no-metadata"], {
      cwd: PROJECT,
      env: { ...process.env, ...TEST_MODEL_ENV, DATA_DIR: dataDir, STORE: "embedded", HOME: base, TMPDIR: os.tmpdir() },
      stdio: ["ignore", "pipe", "pipe"],
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.equal(code, 0, output);
    const summary = JSON.parse(output.slice(output.indexOf("{"))) as {
      indexed: number;
      failed: { file: string; reason: string }[];
      skipped: { file: string; reason: string }[];
    };
    assert.equal(summary.indexed, 2);
    assert.deepEqual(summary.failed, [{ file: path.join(folder, "unreadable.jpg"), reason: "permission denied" }]);
    assert.deepEqual(summary.skipped, [
      { file: path.join(folder, "locked"), reason: "folder not readable (permission denied): skipped with everything below it" },
    ]);
  });
});
