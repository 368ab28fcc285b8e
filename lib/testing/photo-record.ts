/**
 * One stored photo for store-level tests, with plain defaults for everything the test does not
 * care about: a JPEG of 640x480 named `<name>` in the folder `photos` under /library, its id the
 * hash of its name. Pass what the test is about (its vector always, a name or id, a date, a place).
 */
import { createHash } from "node:crypto";
import type { PhotoRecord } from "@/lib/store/types";

export function photoRecord(fields: Partial<PhotoRecord> & Pick<PhotoRecord, "vector">): PhotoRecord {
  const name = fields.name ?? `${fields.id ?? "photo"}.jpg`;
  const folder = fields.folder ?? "photos";
  return {
    id: createHash("sha256").update(name).digest("hex").slice(0, 32),
    root: "/library",
    path: `${folder}/${name}`,
    folder,
    name,
    width: 640,
    height: 480,
    bytes: 1000,
    mime: "image/jpeg",
    tags: [],
    extra: {},
    indexedAt: "2026-01-01T00:00:00.000Z",
    ...fields,
  };
}
