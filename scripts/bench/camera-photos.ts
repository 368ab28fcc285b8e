/**
 * Real camera photos of 8 to 20 megapixels with free licences, fetched from Debian's archive by the
 * bench itself (never committed): the Ubuntu community's wallpaper photographs that Debian ships in
 * lomiri-wallpapers-16.04 and lomiri-wallpapers-20.04 (CC-BY-4.0, CC-BY-SA-4.0, CC-BY-SA-3.0, CC0-1.0;
 * each photo's licence is read from the package's copyright file). `apt-get download` and
 * `dpkg-deb -x` into .cache/camera-photos, once; the packages' other images (drawings, abstract art,
 * photos under 8 MP) are left out.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The photographs of 8 MP or more in the two packages, by file name. */
const PHOTOS: Record<string, string[]> = {
  "lomiri-wallpapers-16.04": [
    "Bridge_by_Sander_Klootwijk.jpg",
    "Dragonfly_by_Bolly.jpg",
    "Wine_by_Jakkub_Mede.jpg",
    "picosdeeuropa_by_Aitzol_Berasategi.jpg",
    "seeding_by_Clements_Engelhardt.jpg",
    "sunset_by_Aitzol_Berasategi.jpg",
    "umang_by_Abhishek_Mudgal.jpg",
  ],
  "lomiri-wallpapers-20.04": ["Kleiber_by_Lukas_Baubkus.jpg"],
};
/** The version measured; another one is used (and reported) when the archive no longer has it. */
const VERSION = "20.04.0-2";

export interface CameraPhoto {
  file: string;
  name: string;
  package: string;
  version: string;
  copyright: string;
  license: string;
}

export function cameraPhotos(cacheDir: string, log: (message: string) => void): CameraPhoto[] {
  return Object.entries(PHOTOS).flatMap(([pkg, names]) => {
    const { root, version } = unpacked(pkg, cacheDir, log);
    const licences = copyrightStanzas(fs.readFileSync(path.join(root, "usr/share/doc", pkg, "copyright"), "utf8"));
    return names.map((name) => {
      const stanza = licences.find((s) => s.files.some((f) => path.basename(f) === name));
      if (!stanza) throw new Error(`${pkg} ${version}: no licence for ${name} in its copyright file`);
      return { file: path.join(root, "usr/share/backgrounds", name), name, package: pkg, version, ...stanza };
    });
  });
}

function unpacked(pkg: string, cacheDir: string, log: (message: string) => void): { root: string; version: string } {
  fs.mkdirSync(cacheDir, { recursive: true });
  const existing = fs.readdirSync(cacheDir).find((d) => d.startsWith(`${pkg}_`) && fs.statSync(path.join(cacheDir, d)).isDirectory());
  if (existing) return { root: path.join(cacheDir, existing), version: existing.slice(pkg.length + 1) };
  log(`fetching ${pkg} from the Debian archive (apt-get download)`);
  const download = (spec: string) => execFileSync("apt-get", ["download", spec], { cwd: cacheDir, stdio: ["ignore", "ignore", "pipe"] });
  try {
    download(`${pkg}=${VERSION}`);
  } catch {
    try {
      download(pkg);
    } catch (error) {
      throw new Error(
        `could not download ${pkg} with apt-get (a Debian or Ubuntu machine with the archive in its sources, after apt-get update): ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`,
      );
    }
  }
  const deb = fs.readdirSync(cacheDir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith(".deb"))!;
  const version = decodeURIComponent(deb.split("_")[1]!);
  const root = path.join(cacheDir, `${pkg}_${version}`);
  execFileSync("dpkg-deb", ["-x", path.join(cacheDir, deb), root]);
  fs.rmSync(path.join(cacheDir, deb));
  return { root, version };
}

/** The "Files" stanzas of a machine-readable (DEP-5) copyright file. */
function copyrightStanzas(text: string): { files: string[]; copyright: string; license: string }[] {
  return text.split(/\n\s*\n/).flatMap((block) => {
    const field = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, "m").exec(block)?.[1]?.trim();
    const files = field("Files");
    const license = field("License");
    return files && license ? [{ files: files.split(/\s+/), copyright: field("Copyright") ?? "", license }] : [];
  });
}
