/**
 * Ingest and search end to end on real photos, on both stores, with the project's test model
 * loaded through the production loader: the acceptance cases of the search core.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AppContext } from "@/lib/context";
import { parseSearchRequest } from "@/lib/search/request";
import { SearchService } from "@/lib/search/service";
import { COCO, dropIndex, esSkip, GPS_SAMPLES, STORE_KINDS, tempDir, testContext, type StoreKind } from "@/lib/testing";
import { findImages } from "./files";
import { loadMetadataFile, MetadataIndex } from "./metadata-file";
import { contentId, type IngestSummary } from "./pipeline";

const COCO_IMAGES = path.join(COCO, "images");
const GPS_IMAGES = path.join(GPS_SAMPLES, "images");
const cocoFiles = findImages(COCO_IMAGES);
const gpsFiles = findImages(GPS_IMAGES);
const gpsTruth = JSON.parse(fs.readFileSync(path.join(GPS_SAMPLES, "gps.json"), "utf8")) as {
  image: string;
  lat: number;
  lon: number;
  taken: string;
}[];
const english = loadMetadataFile(path.join(COCO, "captions.json"));

/** Chinese captions for three coco photos, given the way a user would: a metadata file. */
const CHINESE = [
  { file: "val2017/000000397133.jpg", caption: "一个男人在厨房里做披萨" },
  { file: "val2017/000000062554.jpg", caption: "盘子里的西兰花" },
  { file: "val2017/000000135561.jpg", caption: "厨房的木质橱柜" },
  { file: "train2017/000000163497.jpg", caption: "草原上的长颈鹿" },
];

function chineseMetadata(): MetadataIndex {
  const dir = tempDir();
  const file = path.join(dir, "metadata.json");
  fs.writeFileSync(file, JSON.stringify(CHINESE.map((c) => ({ image: path.join(COCO_IMAGES, c.file), caption: c.caption, tags: "中文" }))));
  return loadMetadataFile(file);
}

const request = (body: object, hasImage = false) => parseSearchRequest(body, hasImage);
const contexts = new Map<StoreKind, AppContext>();

for (const kind of STORE_KINDS) {
  describe(`ingest and search photos on the ${kind} store`, { skip: esSkip(kind) }, () => {
    let ctx: AppContext;
    let first: IngestSummary;
    let second: IngestSummary;
    let gps: IngestSummary;

    before(async () => {
      ctx = testContext(kind);
      contexts.set(kind, ctx);
      await ctx.store.ensureIndex(ctx.embedders.space);
      const chinese = chineseMetadata();
      const textFor = (file: string) => chinese.lookup(file) ?? english.lookup(file);
      first = await ctx.ingestor.ingest(COCO_IMAGES, cocoFiles, { textFor });
      second = await ctx.ingestor.ingest(COCO_IMAGES, cocoFiles, { textFor });
      gps = await ctx.ingestor.ingest(GPS_IMAGES, gpsFiles);
    });

    it("indexes all 159 coco-mini photos, and a second run adds nothing", async () => {
      assert.equal(cocoFiles.length, 159);
      assert.deepEqual([first.indexed, first.unchanged, first.failed.length], [159, 0, 0]);
      assert.deepEqual([second.indexed, second.unchanged, second.moved, second.updated, second.failed.length], [0, 159, 0, 0, 0]);
      assert.equal(gps.indexed, 11);
      assert.equal(await ctx.store.count(), 170);
    });

    it("reads GPS coordinates and capture dates as gps.json records them", async () => {
      for (const truth of gpsTruth) {
        const id = contentId(fs.readFileSync(path.join(GPS_SAMPLES, truth.image)));
        const photo = await ctx.store.get(id);
        assert.ok(photo, truth.image);
        assert.ok(Math.abs(photo.location!.lat - truth.lat) < 1e-6, `${truth.image} lat ${photo.location?.lat}`);
        assert.ok(Math.abs(photo.location!.lon - truth.lon) < 1e-6, `${truth.image} lon ${photo.location?.lon}`);
        const [date, time] = truth.taken.split(" ");
        assert.equal(photo.takenAt, `${date!.replaceAll(":", "-")}T${time}.000Z`);
      }
    });

    it("names the city, region and country of every GPS photo, and no place without GPS", async () => {
      for (const truth of gpsTruth) {
        const photo = await ctx.store.get(contentId(fs.readFileSync(path.join(GPS_SAMPLES, truth.image))));
        const [city, region] = truth.image.includes("DSCN")
          ? ["Arezzo", "Tuscany"]
          : truth.image.includes("Nokia")
            ? ["Helsinki", "Uusimaa"]
            : ["Madrid", "Madrid"];
        assert.equal(photo?.place?.city, city, truth.image);
        assert.equal(photo?.place?.region, region, truth.image);
      }
      const coco = await ctx.store.get(contentId(fs.readFileSync(cocoFiles[0]!)));
      assert.equal(coco?.place, undefined);
    });

    it("finds the Tuscany photos by place name in words and hybrid search, in English and Chinese", async () => {
      const tuscany = new Set(gpsFiles.filter((f) => f.includes("DSCN")).map((f) => contentId(fs.readFileSync(f))));
      for (const q of ["Arezzo", "意大利", "Italy", "Tuscany"]) {
        const words = await ctx.search.search(request({ q, mode: "text", k: 50 }));
        assert.deepEqual(new Set(words.hits.map((h) => h.photo.id)), tuscany, q);
        // Fused with the test model's (random) meaning ranking: every word match is in the top 30.
        const hybrid = new Set((await ctx.search.search(request({ q, mode: "hybrid", k: 30 }))).hits.map((h) => h.photo.id));
        for (const id of tuscany) assert.ok(hybrid.has(id), `${q} (hybrid): ${id}`);
      }
    });

    it("fills in the place names of photos stored before places existed, without embedding again", async () => {
      const file = gpsFiles.find((f) => f.includes("Nokia"))!;
      const id = contentId(fs.readFileSync(file));
      const [stored, vector] = [(await ctx.store.get(id))!, (await ctx.store.getVector(id))!];
      const { place: _place, ...unnamed } = stored;
      await ctx.store.upsert([{ ...unnamed, vector }]);
      await ctx.store.refresh();
      assert.equal((await ctx.store.get(id))?.place, undefined);
      const summary = await ctx.ingestor.ingest(GPS_IMAGES, gpsFiles);
      assert.deepEqual([summary.indexed, summary.updated, summary.unchanged], [0, 1, 10]);
      const named = { city: "Helsinki", region: "Uusimaa", countryCode: "FI", country: "Finland" };
      assert.deepEqual((await ctx.store.get(id))?.place, named);
      assert.deepEqual(Array.from((await ctx.store.getVector(id))!), Array.from(vector), "the same vector");

      // Named before regions were stored: the next ingest adds the region, again without embedding.
      await ctx.store.upsert([{ ...unnamed, place: { city: "Helsinki", countryCode: "FI", country: "Finland" }, vector }]);
      await ctx.store.refresh();
      const again = await ctx.ingestor.ingest(GPS_IMAGES, gpsFiles);
      assert.deepEqual([again.indexed, again.updated, again.unchanged], [0, 1, 10]);
      assert.deepEqual((await ctx.store.get(id))?.place, named);
      const third = await ctx.ingestor.ingest(GPS_IMAGES, gpsFiles);
      assert.deepEqual([third.indexed, third.updated, third.unchanged], [0, 0, 11], "nothing new to add: nothing rewritten");
    });

    it("records dimensions, camera, folder and thumbnails", async () => {
      const nokia = await ctx.store.get(contentId(fs.readFileSync(path.join(GPS_IMAGES, "HMD_Nokia_8.3_5G.jpg"))));
      assert.equal(nokia?.camera, "HMD Global Nokia 8.3 5G");
      assert.equal(nokia?.folder, "images");
      const coco = await ctx.store.get(contentId(fs.readFileSync(cocoFiles[0]!)));
      assert.equal(coco?.folder, `images/${path.basename(path.dirname(cocoFiles[0]!))}`);
      assert.ok(coco!.width > 0 && coco!.height > 0);
      assert.ok(fs.existsSync(path.join(ctx.cfg.dataDir, "thumbnails", coco!.id.slice(0, 2), `${coco!.id}.webp`)));
    });

    it("finds every photo first when that photo is the query (cosine >= 0.99)", async () => {
      for (const file of [...cocoFiles, ...gpsFiles]) {
        const result = await ctx.search.search(request({ k: 1 }, true), fs.readFileSync(file));
        assert.equal(result.hits[0]?.photo.id, contentId(fs.readFileSync(file)), file);
        assert.ok(result.hits[0].score >= 0.99, `${file}: ${result.hits[0].score}`);
      }
    });

    it("returns exactly the 9 Tuscany photos for a radius around Tuscany", async () => {
      const tuscany = gpsTruth
        .filter((t) => t.image.includes("DSCN"))
        .map((t) => contentId(fs.readFileSync(path.join(GPS_SAMPLES, t.image))));
      const result = await ctx.search.search(
        request({ q: "a street", k: 50, cutoff: false, filters: { near: { lat: 43.467, lon: 11.882, radiusKm: 10 } } }),
      );
      assert.deepEqual(new Set(result.hits.map((h) => h.photo.id)), new Set(tuscany));
      assert.equal(tuscany.length, 9);
    });

    it("filters by capture date", async () => {
      const result = await ctx.search.search(
        request({ q: "a photo", k: 50, cutoff: false, filters: { from: "2015-01-01", to: "2015-12-31" } }),
      );
      assert.deepEqual(
        result.hits.map((h) => h.photo.name),
        ["iphone_hdr_YES.jpg"],
      );
      const october = await ctx.search.search(
        request({ q: "a photo", k: 50, cutoff: false, filters: { from: "2008-10-22", to: "2008-10-22" } }),
      );
      assert.equal(october.hits.length, 9);
    });

    it("finds coco-mini photos by the words of their captions", async () => {
      // The first caption of every tenth photo, as a text query: its photo should rank first.
      const sample = cocoFiles.filter((_, i) => i % 10 === 0);
      let firsts = 0;
      for (const file of sample) {
        const caption = english.lookup(file)!.caption!.split("\n")[0];
        const result = await ctx.search.search(request({ q: caption, mode: "text", k: 3 }));
        const ids = result.hits.map((h) => h.photo.id);
        assert.ok(ids.includes(contentId(fs.readFileSync(file))), `"${caption}" should find ${file} in the top 3`);
        if (ids[0] === contentId(fs.readFileSync(file))) firsts++;
      }
      assert.ok(firsts >= sample.length * 0.8, `${firsts}/${sample.length} first`);
    });

    it("finds photos whose metadata gives Chinese captions by a Chinese query", async () => {
      assert.ok(CHINESE.every((c) => fs.existsSync(path.join(COCO_IMAGES, c.file))));
      const pizza = await ctx.search.search(request({ q: "披萨", mode: "text", k: 3 }));
      assert.equal(pizza.hits[0]?.photo.id, contentId(fs.readFileSync(path.join(COCO_IMAGES, CHINESE[0]!.file))));
      const kitchen = await ctx.search.search(request({ q: "厨房", mode: "text", k: 5 }));
      assert.deepEqual(
        new Set(kitchen.hits.map((h) => h.photo.id)),
        new Set([CHINESE[0], CHINESE[2]].map((c) => contentId(fs.readFileSync(path.join(COCO_IMAGES, c!.file))))),
      );
      const giraffe = await ctx.search.search(request({ q: "长颈鹿", mode: "text", k: 5 }));
      assert.deepEqual(
        giraffe.hits.map((h) => h.photo.id),
        [contentId(fs.readFileSync(path.join(COCO_IMAGES, CHINESE[3]!.file)))],
      );
    });

    it("reads a date typed into the query as a filter, and orders by date with stable pages", async () => {
      const tuscany = await ctx.search.search(request({ q: "a photo taken in October 2008", k: 50, cutoff: false }));
      assert.deepEqual(tuscany.query?.dateRange, { from: "2008-10-01", to: "2008-10-31", text: "October 2008" });
      assert.deepEqual(tuscany.query?.positive, [{ text: "a photo taken", weight: 1 }]);
      assert.equal(tuscany.hits.length, 9);
      const all = await ctx.search.search(request({ q: "a street 2008", k: 9, cutoff: false, order: "oldest" }));
      // Oldest first within the relevant hits, then within the less relevant ones.
      for (const group of [all.hits.slice(0, all.relevant), all.hits.slice(all.relevant)]) {
        const times = group.map((hit) => hit.photo.takenAt!);
        assert.deepEqual(times, [...times].sort());
      }
      const pages = [];
      for (let offset = 0; offset < 9; offset += 4)
        pages.push(...(await ctx.search.search(request({ q: "a street 2008", k: 4, offset, cutoff: false, order: "oldest" }))).hits);
      assert.deepEqual(
        pages.map((hit) => hit.photo.id),
        all.hits.map((hit) => hit.photo.id),
      );
    });

    it("reports how many hits are relevant, and stops there unless the cut-off is off", async () => {
      const cut = await ctx.search.search(request({ q: "a kitchen", k: 100 }));
      const full = await ctx.search.search(request({ q: "a kitchen", k: 100, cutoff: false }));
      assert.ok(cut.relevant !== undefined && cut.relevant >= 1);
      assert.equal(cut.hits.length, cut.relevant);
      assert.equal(full.relevant, cut.relevant);
      assert.equal(cut.lessRelevant! + cut.relevant!, await ctx.store.count());
      assert.deepEqual(
        cut.hits.map((hit) => hit.photo.id),
        full.hits.slice(0, cut.relevant).map((hit) => hit.photo.id),
      );
    });

    it("subtracts a negative term from the query, or demotes what it matches", async () => {
      const street = await ctx.search.search(request({ q: "street" }));
      const matched = new Set(street.hits.map((hit) => hit.photo.id));
      assert.ok(matched.size >= 1);
      const result = await ctx.search.search(request({ q: "a photo -street", k: 10 }));
      assert.deepEqual(result.query?.negative, [{ text: "street", weight: 1 }]);
      assert.ok(result.relevant !== undefined);
      // The demoting strategy, on the same store: what "street" finds comes after everything else.
      const { store, embedders } = ctx;
      const limits = { maxPixels: ctx.cfg.limits.maxImagePixels, thumbnailSize: ctx.cfg.limits.thumbnailSize };
      const demoting = new SearchService({ store, text: embedders.text, image: embedders.image, limits, negatives: "demote" });
      const page = (offset: number) => demoting.search(request({ q: "a photo -street", k: 100, offset, cutoff: false }));
      const hits = [...(await page(0)).hits, ...(await page(100)).hits];
      assert.equal(hits.length, await ctx.store.count());
      const firstMatched = hits.findIndex((hit) => matched.has(hit.photo.id));
      assert.ok(firstMatched >= 0);
      assert.ok(hits.slice(firstMatched).every((hit) => matched.has(hit.photo.id)));
    });

    it("ranks a window of 200 but reads the photos of the page shown only", async () => {
      const { store, embedders } = ctx;
      const read: string[][] = [];
      const counting = new Proxy(store, {
        get(target, property) {
          if (property === "getMany" && target.getMany) return (ids: readonly string[]) => (read.push([...ids]), target.getMany!(ids));
          const value: unknown = Reflect.get(target, property);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const limits = { maxPixels: ctx.cfg.limits.maxImagePixels, thumbnailSize: ctx.cfg.limits.thumbnailSize };
      const service = new SearchService({ store: counting, text: embedders.text, image: embedders.image, limits });
      for (const body of [
        { q: "a plate of food", k: 5, offset: 3, cutoff: false },
        { q: "a plate of food", k: 5, order: "newest" },
      ]) {
        read.length = 0;
        const counted = await service.search(request(body));
        const plain = await ctx.search.search(request(body));
        assert.deepEqual(
          counted.hits.map((hit) => [hit.photo, hit.score]),
          plain.hits.map((hit) => [hit.photo, hit.score]),
        );
        assert.equal(counted.hits.length, 5);
        // Stores that rank without photos are asked for exactly the page's; the others return them with every hit.
        assert.deepEqual(read, store.rankVector ? [counted.hits.map((hit) => hit.photo.id)] : []);
      }
    });

    it("composes a photo with text (like this, but…) and leaves out photos to avoid", async () => {
      const like = contentId(fs.readFileSync(cocoFiles[5]!));
      const unlike = contentId(fs.readFileSync(cocoFiles[6]!));
      const result = await ctx.search.search(request({ q: "at night", like, likeWeight: 2, unlike: [unlike], k: 50, cutoff: false }));
      assert.equal(result.mode, "composed");
      assert.deepEqual(result.query?.images, { positive: [{ id: like, weight: 2 }], negative: [{ id: unlike, weight: 1 }] });
      assert.ok(!result.hits.some((hit) => hit.photo.id === like || hit.photo.id === unlike));
    });

    it("finds similar photos without the photo itself", async () => {
      const id = contentId(fs.readFileSync(cocoFiles[5]!));
      const result = await ctx.search.search(request({ like: id, k: 10, cutoff: false }));
      assert.equal(result.hits.length, 10);
      assert.ok(!result.hits.some((h) => h.photo.id === id));
    });

    it("hybrid search fuses semantic and full-text rankings", async () => {
      const result = await ctx.search.search(request({ q: "披萨", mode: "hybrid", k: 10 }));
      assert.equal(result.hits.length, 10);
      // The test cluster has a basic licence, without the rrf retriever: the app fuses.
      assert.equal(result.fusion, "app");
      if (kind === "elasticsearch") {
        const vector = (await ctx.embedders.text.embedTexts(["披萨"]))[0];
        assert.equal(await ctx.store.searchHybrid?.({ text: "披萨", vector: vector!, k: 5, offset: 0 }), undefined);
      }
      assert.ok(result.hits.some((h) => h.photo.id === contentId(fs.readFileSync(path.join(COCO_IMAGES, CHINESE[0]!.file)))));
    });

    it("reports corrupt, non-image and empty files in the summary and indexes the rest", async () => {
      const dir = tempDir();
      const good = fs.readFileSync(cocoFiles[0]!);
      const noise = Buffer.alloc(4000, 0x5a);
      fs.writeFileSync(path.join(dir, "corrupt.jpg"), Buffer.concat([good.subarray(0, 600), noise]));
      fs.writeFileSync(path.join(dir, "notes.jpg"), "this is a text file, not a photo\n");
      fs.writeFileSync(path.join(dir, "empty.jpg"), "");
      fs.copyFileSync(gpsFiles[0]!, path.join(dir, "good.jpg")); // already indexed from its own folder
      fs.copyFileSync(path.join(COCO_IMAGES, "val2017", fs.readdirSync(path.join(COCO_IMAGES, "val2017"))[1]!), path.join(dir, "copy.jpg"));
      const summary = await ctx.ingestor.ingest(dir, findImages(dir));
      const failed = new Map(summary.failed.map((f) => [path.basename(f.file), f.reason]));
      assert.deepEqual([...failed.keys()].sort(), ["corrupt.jpg", "empty.jpg", "notes.jpg"]);
      assert.match(failed.get("empty.jpg")!, /empty/);
      assert.match(failed.get("notes.jpg")!, /not a supported image/);
      assert.equal(summary.unchanged, 2, "copies of indexed photos are recognised, not indexed again");
      assert.equal(await ctx.store.count(), 170);
    });

    it("recognises a moved photo and re-points it without re-embedding", async () => {
      const dir = tempDir();
      const original = path.join(dir, "a", "beach.jpg");
      fs.mkdirSync(path.dirname(original), { recursive: true });
      fs.copyFileSync(path.join(DATASETS_FLICKR, fs.readdirSync(DATASETS_FLICKR)[0]!), original);
      assert.equal((await ctx.ingestor.ingest(dir, findImages(dir))).indexed, 1);
      const moved = path.join(dir, "b", "beach.jpg");
      fs.mkdirSync(path.dirname(moved));
      fs.renameSync(original, moved);
      const summary = await ctx.ingestor.ingest(dir, findImages(dir));
      assert.deepEqual([summary.indexed, summary.moved], [0, 1]);
      const photo = await ctx.store.get(contentId(fs.readFileSync(moved)));
      assert.equal(photo?.path, "b/beach.jpg");
      assert.equal(photo?.folder, `${path.basename(dir)}/b`);
    });
  });
}

const DATASETS_FLICKR = path.join(COCO, "..", "flickr8k-1k", "images");

// Needs both stores: on the further Elasticsearch versions the embedded half is not ingested (ES_TEST_ONLY).
describe("the two stores agree", { skip: esSkip("elasticsearch") || esSkip("embedded") }, () => {
  after(async () => {
    for (const ctx of contexts.values()) {
      await dropIndex(ctx.cfg);
      await ctx.store.close();
    }
  });

  it("returns the same top 10 for the same query vector (at least 9 of 10 in common)", async () => {
    const embedded = contexts.get("embedded")!;
    const elastic = contexts.get("elasticsearch")!;
    const queries = [...cocoFiles.filter((_, i) => i % 8 === 0), ...gpsFiles.slice(0, 3)];
    for (const file of queries) {
      const vector = await embedded.store.getVector(contentId(fs.readFileSync(file)));
      const top = async (ctx: AppContext) =>
        (await ctx.store.searchVector({ vector: vector!, k: 10, offset: 0 })).hits.map((h) => h.photo.id);
      const [a, b] = [await top(embedded), await top(elastic)];
      const common = a.filter((id) => b.includes(id)).length;
      assert.ok(common >= 9, `${file}: ${common}/10 in common`);
    }
  });
});
