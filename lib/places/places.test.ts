/**
 * Reverse geocoding of real photos: ../shared/datasets/exif-gps-samples, GPS read from their EXIF as
 * ingest reads it. The expected names are where those coordinates lie (the dataset's README and
 * a map: the old town of Arezzo, southern Helsinki by Eira, Madrid's Ciudad Universitaria), written
 * here by hand, not taken from the gazetteer's output.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { readExif } from "@/lib/ingest/exif";
import { COCO, GPS_SAMPLES } from "@/lib/testing";
import { countryName, findPlaceByName, placeLabel, placeOf, placeSearchNames } from "./index";

const DATASET = path.join(GPS_SAMPLES, "images");
// Regions: GeoNames' English names of the first-order divisions (Italy's regions, Finland's regions,
// Spain's autonomous communities): Arezzo is in Tuscany, Helsinki in Uusimaa, Madrid in the Community of Madrid.
const EXPECTED: Record<string, { city: string; region: string; countryCode: string; country: string }> = {
  "DSCN0010.jpg": { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" },
  "DSCN0012.jpg": { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" },
  "DSCN0021.jpg": { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" },
  "DSCN0025.jpg": { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" },
  "DSCN0027.jpg": { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" },
  "DSCN0029.jpg": { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" },
  "DSCN0038.jpg": { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" },
  "DSCN0040.jpg": { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" },
  "DSCN0042.jpg": { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" },
  "HMD_Nokia_8.3_5G.jpg": { city: "Helsinki", region: "Uusimaa", countryCode: "FI", country: "Finland" },
  "iphone_hdr_YES.jpg": { city: "Madrid", region: "Madrid", countryCode: "ES", country: "Spain" },
};

describe("places: reverse geocoding offline", () => {
  it("names the city and country of every GPS-tagged sample photo", async () => {
    const files = fs.readdirSync(DATASET).filter((f) => f.endsWith(".jpg"));
    assert.equal(files.length, Object.keys(EXPECTED).length, "every sample photo has an expected place");
    for (const file of files) {
      const { facts } = await readExif(fs.readFileSync(path.join(DATASET, file)));
      assert.ok(facts.location, `${file} has a GPS position`);
      assert.deepEqual(placeOf(facts.location), EXPECTED[file], file);
    }
  });

  it("gives no place without a position, or far from any town", async () => {
    const coco = path.join(COCO, "images", "val2017");
    const first = fs.readdirSync(coco).find((f) => f.endsWith(".jpg"))!;
    const { facts } = await readExif(fs.readFileSync(path.join(coco, first)));
    assert.equal(facts.location, undefined, "the COCO photo has no GPS");
    assert.equal(placeOf(facts.location), undefined);
    assert.equal(placeOf({ lat: 0, lon: -30 }), undefined, "the middle of the Atlantic");
  });

  it("names well-known cities, not their districts", () => {
    assert.equal(placeOf({ lat: 39.9087, lon: 116.3975 })?.city, "Beijing");
    assert.equal(placeOf({ lat: 48.8584, lon: 2.2945 })?.city, "Paris");
    assert.equal(placeOf({ lat: 40.7484, lon: -73.9857 })?.countryCode, "US");
  });

  it("speaks Chinese for countries and finds every name a place is searched by", () => {
    assert.equal(countryName("IT", "zh"), "意大利");
    assert.equal(countryName("FI", "zh"), "芬兰");
    const arezzo = { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" };
    assert.equal(placeLabel(arezzo, "zh"), "Arezzo, 意大利");
    assert.deepEqual(placeSearchNames(arezzo).sort(), ["Arezzo", "Tuscany", "Italy", "意大利"].sort());
  });

  it("reads a place named in a query", () => {
    const arezzo = findPlaceByName("arezzo");
    assert.equal(arezzo?.kind, "city");
    assert.ok(arezzo?.kind === "city" && Math.abs(arezzo.lat - 43.46) < 0.05 && arezzo.countryCode === "IT");
    assert.deepEqual(findPlaceByName("意大利"), { kind: "country", name: "Italy", countryCode: "IT" });
    assert.equal(findPlaceByName("Helsinki")?.countryCode, "FI");
    assert.equal(findPlaceByName("a mountain covered in snow"), undefined);
  });
});
