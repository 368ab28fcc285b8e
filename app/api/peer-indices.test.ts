/**
 * The indices the lab's users bring, built on a real Elasticsearch from the peers' own mapping files
 * and in the shapes their scripts write (lib/testing/peer-indices.ts), searched through the real
 * route handlers: readiness, every search mode, more like this, the photo routes, thumbnails,
 * filters and facets, and read-only refusals. Vectors are unnormalized, as the peers store them.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { resetConfig } from "@/lib/config";
import { appContext, closeAppContext } from "@/lib/context";
import { ES_TEST_URL, TEST_MODEL_ENV, tempDir, uniqueIndexName } from "@/lib/testing";
import { buildGeneratorIndex, buildTutorialIndex, peerMapping, type PeerIndex, type PeerLayout } from "@/lib/testing/peer-indices";
import { dot } from "@/lib/vector";
import { GET as facets } from "./facets/route";
import { GET as photoMeta } from "./photos/[id]/route";
import { GET as original } from "./photos/[id]/original/route";
import { GET as thumbnail } from "./photos/[id]/thumbnail/route";
import { POST as upload } from "./photos/route";
import { GET as ready } from "./ready/route";
import { GET as searchGet, POST as search } from "./search/route";

const saved = { ...process.env };
const request = () => new Request("http://localhost");
const params = (id: string) => ({ params: Promise.resolve({ id }) });

interface HitBody {
  id: string;
  score: number;
  photo: { id: string; name: string; folder: string; thumbnailUrl: string; originalUrl: string; caption?: string };
}

async function post(body: unknown): Promise<{ status: number; body: { hits: HitBody[]; mode: string; fusion?: string } }> {
  const response = await search(
    new Request("http://localhost/api/search", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: await response.json() };
}

async function expectError(response: Response, status: number, code: string): Promise<string> {
  assert.equal(response.status, status);
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, code);
  return body.error.message;
}

/** Starts the app's context against `index` (the configuration is read afresh). */
async function useIndex(index: string, env: Record<string, string> = {}): Promise<void> {
  await closeAppContext();
  process.env = {
    ...saved,
    ...TEST_MODEL_ENV,
    DATA_DIR: tempDir(),
    ES_HOST: ES_TEST_URL,
    ES_INDEX: index,
    STORE: "elasticsearch",
    ...env,
  };
  resetConfig();
}

/** The exact cosine ranking of the peer's photos for a unit query vector. */
function exactRanking(peer: PeerIndex, query: Float32Array, exclude?: string): { id: string; score: number }[] {
  return [...peer.unitVectors.entries()]
    .filter(([id]) => id !== exclude)
    .map(([id, vector]) => ({ id, score: dot(vector, query) }))
    .sort((a, b) => b.score - a.score);
}

function assertExactRanking(hits: HitBody[], expected: { id: string; score: number }[]) {
  assert.deepEqual(
    hits.map((h) => h.id),
    expected.slice(0, hits.length).map((e) => e.id),
  );
  hits.forEach((hit, i) => assert.ok(Math.abs(hit.score - expected[i]!.score) < 2e-3, `score ${hit.score} vs ${expected[i]!.score}`));
}

const builders: Record<PeerLayout, typeof buildTutorialIndex> = { tutorial: buildTutorialIndex, generator: buildGeneratorIndex };

for (const layout of ["tutorial", "generator"] as const) {
  describe(`the ${layout} layout, built from the peer's files`, { skip: !ES_TEST_URL && "no Elasticsearch" }, () => {
    const index = uniqueIndexName();
    let peer: PeerIndex;
    const ids = () => [...peer.unitVectors.keys()];

    before(async () => {
      await useIndex(index);
      peer = await builders[layout](ES_TEST_URL!, index, appContext().embedders.image);
      // The generator's photos are served from its image folder.
      await useIndex(index, peer.imageRoot ? { ES_IMAGE_ROOT: peer.imageRoot, THUMBNAIL_CACHE_MB: "1" } : {});
    });

    after(async () => {
      await closeAppContext();
      await fetch(`${ES_TEST_URL}/${index}`, { method: "DELETE" });
      process.env = saved;
      resetConfig();
    });

    it("stores unnormalized vectors, as the peer's SentenceTransformer.encode does", () => {
      for (const doc of peer.docs) {
        const norm = Math.hypot(...(doc.image_embedding as number[]));
        assert.ok(norm > 5, `norm ${norm}`);
      }
      if (layout === "generator") {
        assert.ok(
          peer.docs.some((d) => Object.keys(d.exif as object).length === 0),
          "exif: {} for photos without EXIF",
        );
        assert.ok(
          peer.docs.some((d) => Array.isArray((d.exif as { location?: unknown }).location)),
          "[lon, lat] locations",
        );
      }
    });

    it("is ready: the index records no model, and its vector size matches", async () => {
      const response = await ready(request());
      const report = await response.json();
      assert.equal(response.status, 200, JSON.stringify(report.problems));
      assert.equal(report.status, "ok");
      assert.deepEqual(report.store.model, { modelId: `unrecorded (${layout} layout)`, dims: 512, recorded: false });
      assert.equal(report.store.count, peer.docs.length);
    });

    it("searches by meaning with exact cosine scores over the unnormalized vectors", async () => {
      const [query] = await appContext().embedders.text.embedTexts(["a kitchen"]);
      const { status, body } = await post({ q: "a kitchen", k: 5 });
      assert.equal(status, 200);
      assert.equal(body.mode, "semantic");
      assertExactRanking(body.hits, exactRanking(peer, query!));
    });

    it("finds a photo by its own image first, with cosine 1", async () => {
      const [id, file] = [...peer.files.entries()][2]!;
      const form = new FormData();
      form.append("image", new Blob([new Uint8Array(fs.readFileSync(file))]), "query.jpg");
      form.append("options", JSON.stringify({ k: 3 }));
      const response = await search(new Request("http://localhost/api/search", { method: "POST", body: form }));
      const body = await response.json();
      assert.equal(response.status, 200);
      assert.equal(body.mode, "image");
      assert.equal(body.hits[0].id, id);
      assert.ok(Math.abs(body.hits[0].score - 1) < 2e-3, `self score ${body.hits[0].score}`);
    });

    it("finds more like a photo by the peer's id, without the photo itself, in exact cosine order", async () => {
      for (const id of ids().slice(0, 3)) {
        const { status, body } = await post({ like: id, k: 4 });
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.mode, "similar");
        assert.ok(!body.hits.some((h) => h.id === id));
        assertExactRanking(body.hits, exactRanking(peer, peer.unitVectors.get(id)!, id));
      }
      const odd = ids().find((id) => /[ -]/.test(id))!; // "-LpZcFOTOWk", "DSC 0001 (2)"
      const viaGet = await searchGet(new Request(`http://localhost/api/search?like=${encodeURIComponent(odd)}&k=2`));
      assert.equal(viaGet.status, 200);
      assert.equal((await viaGet.json()).mode, "similar");
      await expectError(await searchGet(new Request("http://localhost/api/search?like=..%2Fetc%2Fpasswd")), 400, "bad_request");
      await expectError(await searchGet(new Request("http://localhost/api/search?like=NOPE_404")), 404, "not_found");
    });

    it("lists every photo with its nearest others by the peer's ids (the duplicates pass), under a steady change token", async () => {
      const { store } = appContext();
      const token = await store.changeToken();
      const listed = new Map<string, { id: string; score: number }[]>();
      for await (const page of store.neighbours(3)) for (const { photo, hits } of page) listed.set(photo.id, hits);
      assert.deepEqual([...listed.keys()].sort(), ids().sort());
      for (const [id, vector] of peer.unitVectors) {
        // Scores rather than ids in order: a peer's library may hold the same picture twice (ties).
        const expected = exactRanking(peer, vector, id).slice(0, 3);
        const hits = listed.get(id)!;
        assert.equal(hits.length, expected.length, id);
        hits.forEach((hit, i) => {
          assert.notEqual(hit.id, id, "itself left out");
          assert.ok(
            Math.abs(hit.score - dot(vector, peer.unitVectors.get(hit.id)!)) < 2e-3,
            `${id}: ${hit.id} is a peer id with its cosine`,
          );
          assert.ok(
            Math.abs(hit.score - expected[i]!.score) < 2e-3,
            `${id}: neighbour ${i} at ${hit.score}, expected ${expected[i]!.score}`,
          );
        });
      }
      assert.equal(await store.changeToken(), token, "reading changes nothing");
    });

    it("serves each photo's metadata by the peer's id, with URL-safe image links", async () => {
      for (const id of ids()) {
        const response = await photoMeta(request(), params(id));
        assert.equal(response.status, 200, id);
        const meta = await response.json();
        assert.equal(meta.id, id);
        if (layout === "generator") assert.equal(meta.thumbnailUrl, `/api/photos/${encodeURIComponent(id)}/thumbnail`);
      }
      await expectError(await photoMeta(request(), params("../../etc/passwd")), 404, "not_found");
      await expectError(await photoMeta(request(), params("no-such-photo")), 404, "not_found");
    });

    it("refuses writes clearly: the index is another tool's, read-only", async () => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(fs.readFileSync([...peer.files.values()][0]!))]), "new.jpg");
      const message = await expectError(
        await upload(new Request("http://localhost/api/photos", { method: "POST", body: form })),
        400,
        "bad_request",
      );
      assert.match(message, /read-only/);
      assert.match(message, /ES_INDEX/);
      assert.equal((await (await ready(request())).json()).store.count, peer.docs.length, "nothing was written");
    });

    if (layout === "tutorial") {
      it("searches Unsplash descriptions, AI descriptions and photographers by word, in English and Chinese", async () => {
        const top = async (q: string) => (await post({ q, mode: "text", k: 3 })).body.hits[0]?.id;
        assert.equal(await top("pizzas"), "XMcoTHgNcQA");
        assert.equal(await top("雪山"), "-LpZcFOTOWk");
        assert.equal(await top("风筝"), "P0oRtK8sYvE");
        assert.equal(await top("citylens"), "3dAm3oVjXTk");
        const hybrid = await post({ q: "motorcycle", mode: "hybrid", k: 5 });
        assert.equal(hybrid.status, 200);
        assert.ok(hybrid.body.hits.some((h) => h.id === "k3J_8wQp2Lm"));
      });

      it("links to the remote Unsplash images, and shows the AI description where the photo has none", async () => {
        const thumb = await thumbnail(request(), params("_bTjUpl7Q_4"));
        assert.equal(thumb.status, 302);
        assert.equal(thumb.headers.get("location"), "https://images.unsplash.com/photo-_bTjUpl7Q_4");
        assert.equal(
          (await original(request(), params("-LpZcFOTOWk"))).headers.get("location"),
          "https://images.unsplash.com/photo--LpZcFOTOWk",
        );
        const meta = await (await photoMeta(request(), params("_bTjUpl7Q_4"))).json();
        assert.equal(meta.caption, "a camera on a tripod connected to a laptop");
      });

      it("refuses filters on fields the layout lacks, saying which", async () => {
        const message = await expectError(
          (await search(
            new Request("http://localhost/api/search", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ q: "kitchen", filters: { folder: "unsplash" } }),
            }),
          )) as Response,
          400,
          "bad_request",
        );
        assert.match(message, /no folders/);
        // No folders or places to offer, but the photos are counted (the gallery tells an empty library by it).
        assert.deepEqual(await (await facets(request())).json(), { folders: [], places: [], photos: peer.docs.length });
      });
    }

    if (layout === "generator") {
      it("finds keyword-only file names by case-insensitive prefix and wildcard", async () => {
        const found = async (q: string) => (await post({ q, mode: "text", k: 20 })).body.hits.map((h) => h.id).sort();
        assert.deepEqual(await found("img_40"), ["IMG_4032"]);
        assert.deepEqual(await found("dscn00"), ["DSCN0010", "DSCN0012", "DSCN0021"]);
        assert.deepEqual(await found("HDR"), ["iphone_hdr_YES"]);
        assert.deepEqual(await found("img_*_1.jpg"), ["IMG_20190704_1"]);
        assert.deepEqual(await found("IMG_4032.jpg"), ["IMG_4032"]);
        assert.deepEqual(await found("hills"), ["DSCN0021"], "folder names in relative_path");
        assert.deepEqual(await found("nothing-like-this"), []);
        const hybrid = await post({ q: "nokia", mode: "hybrid", k: 20 });
        assert.equal(hybrid.body.hits[0]?.id, "HMD_Nokia_8.3_5G");
      });

      it("offers the folders of relative_path, and filters by them (a folder and everything below it)", async () => {
        const body = await (await facets(request())).json();
        assert.deepEqual(body.folders, [
          { folder: "images", count: 2 },
          { folder: "images/kitchen", count: 1 },
          { folder: "images/trips", count: 2 },
          { folder: "images/trips-old", count: 1 },
          { folder: "images/tuscany", count: 2 },
          { folder: "images/tuscany/hills", count: 1 },
        ]);
        const inFolder = async (folder: string) =>
          (await post({ like: "IMG_4032", k: 20, cutoff: false, filters: { folder } })).body.hits.map((h) => h.id).sort();
        assert.deepEqual(await inFolder("images/tuscany"), ["DSCN0010", "DSCN0012", "DSCN0021"]);
        assert.deepEqual(await inFolder("images/trips"), ["HMD_Nokia_8.3_5G", "iphone_hdr_YES"], "trips-old is not inside trips");
        assert.equal((await inFolder("images")).length, peer.docs.length - 1);
        assert.deepEqual(await inFolder("elsewhere"), []);
        const meta = await (await photoMeta(request(), params("DSCN0021"))).json();
        assert.equal(meta.folder, "images/tuscany/hills", "the photo view names the folder the filter knows");
      });

      it("filters by EXIF location ([lon, lat]) and date", async () => {
        const near = await post({ like: "IMG_4032", k: 20, cutoff: false, filters: { near: { lat: 43.467, lon: 11.885, radiusKm: 5 } } });
        assert.deepEqual(near.body.hits.map((h) => h.id).sort(), ["DSCN0010", "DSCN0012", "DSCN0021"]);
        const dated = await post({ like: "IMG_4032", k: 20, cutoff: false, filters: { from: "2008-10-22", to: "2008-10-22" } });
        assert.deepEqual(dated.body.hits.map((h) => h.id).sort(), ["DSCN0010", "DSCN0012", "DSCN0021"]);
        // The year jump: the years of exif.date (a naive ISO string, read as UTC), only those with photos.
        const perYear = new Map<number, number>();
        for (const doc of peer.docs) {
          const date = (doc.exif as { date?: string }).date;
          if (date) perYear.set(Number(date.slice(0, 4)), (perYear.get(Number(date.slice(0, 4))) ?? 0) + 1);
        }
        const { years } = (await (await facets(request())).json()) as { years: { year: number; count: number }[] };
        assert.deepEqual(
          years,
          [...perYear].map(([year, count]) => ({ year, count })).sort((a, b) => b.year - a.year),
        );
        assert.ok((years.find((y) => y.year === 2008)?.count ?? 0) >= 3);
        const meta = await (await photoMeta(request(), params("DSCN0010"))).json();
        assert.equal(meta.takenAt, "2008-10-22T16:28:39.000Z");
        assert.ok(Math.abs(meta.location.lat - 43.4674) < 1e-3 && Math.abs(meta.location.lon - 11.8851) < 1e-3);
      });

      it("serves originals from ES_IMAGE_ROOT and makes thumbnails on first request, cached on disk", async () => {
        for (const [id, file] of peer.files) {
          const full = await original(request(), params(id));
          assert.equal(full.status, 200, id);
          assert.deepEqual(Buffer.from(await full.arrayBuffer()), fs.readFileSync(file));
          const thumb = await thumbnail(request(), params(id));
          assert.equal(thumb.status, 200, id);
          assert.equal(thumb.headers.get("content-type"), "image/webp");
          const bytes = Buffer.from(await thumb.arrayBuffer());
          assert.equal(bytes.subarray(8, 12).toString(), "WEBP");
          const again = Buffer.from(await (await thumbnail(request(), params(id))).arrayBuffer());
          assert.deepEqual(again, bytes, "served from the cache");
        }
        const cached = fs.readdirSync(path.join(appContext().cfg.dataDir, "thumbnail-cache"), { recursive: true });
        assert.equal(cached.filter((f) => String(f).endsWith(".webp")).length, peer.files.size);
      });

      it("never serves a file outside ES_IMAGE_ROOT: traversal and symlinks are not found", async () => {
        const outside = path.join(path.dirname(peer.imageRoot!), "secret.jpg");
        fs.copyFileSync([...peer.files.values()][0]!, outside);
        fs.symlinkSync(outside, path.join(peer.imageRoot!, "escape.jpg"));
        fs.symlinkSync(path.dirname(peer.imageRoot!), path.join(peer.imageRoot!, "up"));
        const evil = [
          { image_id: "evil_1", relative_path: "../secret.jpg" },
          { image_id: "evil_2", relative_path: "escape.jpg" },
          { image_id: "evil_3", relative_path: "up/secret.jpg" },
          { image_id: "evil_4", relative_path: "/etc/passwd" },
          { image_id: "evil_5", relative_path: "..\\secret.jpg" },
        ];
        const lines = evil.flatMap((doc) => [
          JSON.stringify({ index: { _index: index } }),
          JSON.stringify({
            ...doc,
            image_name: path.basename(doc.relative_path),
            exif: {},
            image_embedding: peer.docs[0]!.image_embedding,
          }),
        ]);
        const bulk = await fetch(`${ES_TEST_URL}/_bulk?refresh=true`, {
          method: "POST",
          headers: { "content-type": "application/x-ndjson" },
          body: lines.join("\n") + "\n",
        });
        assert.equal((await bulk.json()).errors, false);
        for (const { image_id } of evil) {
          await expectError(await original(request(), params(image_id)), 404, "not_found");
          await expectError(await thumbnail(request(), params(image_id)), 404, "not_found");
        }
      });
    }
  });
}

describe("readiness on indices the configured model cannot search", { skip: !ES_TEST_URL && "no Elasticsearch" }, () => {
  const indices: string[] = [];

  after(async () => {
    await closeAppContext();
    for (const index of indices) await fetch(`${ES_TEST_URL}/${index}`, { method: "DELETE" });
    process.env = saved;
    resetConfig();
  });

  async function createIndex(body: object): Promise<string> {
    const index = uniqueIndexName();
    indices.push(index);
    const put = await fetch(`${ES_TEST_URL}/${index}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(put.status, 200, await put.text());
    return index;
  }

  it("answers 503 naming the reason when the peer index holds vectors of another size", async () => {
    const mapping = peerMapping("tutorial");
    const properties = mapping.mappings.properties as Record<string, { dims?: number }>;
    properties.image_embedding!.dims = 768;
    await useIndex(await createIndex(mapping));
    const response = await ready(request());
    const report = await response.json();
    assert.equal(response.status, 503);
    assert.deepEqual(report.reasons, ["index_dims_mismatch"]);
    assert.match(report.problems[0], /768-dim vectors.*512-dim/);
  });

  it("answers 503 naming the reason when the index's layout is unknown", async () => {
    await useIndex(await createIndex({ mappings: { properties: { title: { type: "text" } } } }));
    const response = await ready(request());
    const report = await response.json();
    assert.equal(response.status, 503);
    assert.deepEqual(report.reasons, ["index_unusable"]);
    assert.match(report.problems[0], /ES_INDEX_PROFILE/);
  });
});
