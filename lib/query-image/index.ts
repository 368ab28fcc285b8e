/**
 * Image queries kept in this browser (IndexedDB, through idb-keyval), so an image search has a URL
 * (?image=<hash>) that Back, Forward and reload can restore. The image never leaves the device except
 * as the search request itself; entries older than a week are dropped when a new one is saved.
 */
import { createStore, del, entries, get, set, type UseStore } from "idb-keyval";

const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

interface Stored {
  blob: Blob;
  savedAt: number;
}

let store: UseStore | undefined;
/** This visit's images, so a search does not wait for IndexedDB. */
const memory = new Map<string, Blob>();
const db = () => (store ??= createStore("photo-search", "query-images"));

/** The id an image is kept under: the first 32 hex digits of the SHA-256 of its bytes. */
export async function queryImageId(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Keeps an image for later searches and returns its id. */
export async function saveQueryImage(blob: Blob): Promise<string> {
  const id = await queryImageId(blob);
  memory.set(id, blob);
  await set(id, { blob, savedAt: Date.now() } satisfies Stored, db());
  void dropExpired();
  return id;
}

/** The image saved under `id`, or undefined when this browser no longer has it. */
export async function loadQueryImage(id: string): Promise<Blob | undefined> {
  const remembered = memory.get(id);
  if (remembered) return remembered;
  const stored = await get<Stored>(id, db());
  if (stored) memory.set(id, stored.blob);
  return stored?.blob;
}

async function dropExpired(): Promise<void> {
  const now = Date.now();
  for (const [key, value] of await entries<string, Stored>(db())) {
    if (now - value.savedAt > MAX_AGE_MS) await del(key, db());
  }
}
