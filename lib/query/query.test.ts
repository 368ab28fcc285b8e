import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatTerms, understandQuery } from ".";
import { parseTerms } from "./terms";

const now = new Date("2026-12-01T12:00:00Z");
const understand = (text: string) => understandQuery({ text, now });

describe("query terms", () => {
  it("reads a leading minus as a negative word, in English and Chinese", () => {
    assert.deepEqual(parseTerms("beach -people"), { positive: [{ text: "beach", weight: 1 }], negative: [{ text: "people", weight: 1 }] });
    assert.deepEqual(parseTerms("海滩 -人"), { positive: [{ text: "海滩", weight: 1 }], negative: [{ text: "人", weight: 1 }] });
  });

  it("reads rclip-style weighted terms joined by + and -", () => {
    assert.deepEqual(parseTerms("2:sunset + night - people"), {
      positive: [
        { text: "sunset", weight: 2 },
        { text: "night", weight: 1 },
      ],
      negative: [{ text: "people", weight: 1 }],
    });
    assert.deepEqual(parseTerms("a red car - 1.5:a parking lot").negative, [{ text: "a parking lot", weight: 1.5 }]);
  });

  it("keeps hyphenated words and phrases whole", () => {
    assert.deepEqual(parseTerms("black-and-white portrait"), { positive: [{ text: "black-and-white portrait", weight: 1 }], negative: [] });
  });

  it("merges repeated terms and refuses silly weights", () => {
    assert.deepEqual(parseTerms("dog + dog").positive, [{ text: "dog", weight: 2 }]);
    assert.throws(() => parseTerms("0:dog"), /weight/);
    assert.throws(() => parseTerms("99:dog"), /weight/);
  });

  it("writes terms back in query syntax", () => {
    assert.equal(formatTerms(parseTerms("2:sunset + night - people")), "2:sunset + night - people");
  });
});

describe("dates in the query", () => {
  const cases: [string, string, string, string][] = [
    ["beach July 2023", "beach", "2023-07-01", "2023-07-31"],
    ["snow 2019", "snow", "2019-01-01", "2019-12-31"],
    ["dog in 2019", "dog", "2019-01-01", "2019-12-31"],
    ["去年夏天 海边", "海边", "2025-06-01", "2025-08-31"],
    ["2023年7月 海滩", "海滩", "2023-07-01", "2023-07-31"],
    ["海滩 2019年", "海滩", "2019-01-01", "2019-12-31"],
    ["last summer beach", "beach", "2025-06-01", "2025-08-31"],
    ["winter 2019 snow", "snow", "2019-12-01", "2020-02-29"],
    ["party 14 July 2023", "party", "2023-07-14", "2023-07-14"],
    ["2024-05-03 party", "party", "2024-05-03", "2024-05-03"],
  ];
  for (const [text, rest, from, to] of cases) {
    it(`"${text}" → "${rest}" from ${from} to ${to}`, () => {
      const query = understand(text);
      assert.deepEqual(query.positive, [{ text: rest, weight: 1 }]);
      assert.equal(query.dateRange?.from, from);
      assert.equal(query.dateRange?.to, to);
    });
  }

  it("leaves numbers that are not years, and seasons without a year, in the text", () => {
    assert.equal(understand("3000 people").dateRange, undefined);
    assert.equal(understand("beach in summer").dateRange, undefined);
    assert.equal(understand("the 1990s").dateRange, undefined);
  });

  it("leaves a time of day alone as words to search by, in Chinese too (no filter to today)", () => {
    for (const text of ["夜晚", "晚上的街道", "夜景", "下午 海边", "at night", "evening"]) {
      assert.equal(understand(text).dateRange, undefined, text);
      assert.equal(
        understand(text)
          .positive.map((t) => t.text)
          .join(" "),
        text,
      );
    }
    assert.ok(understand("昨晚 派对").dateRange, "a day word keeps its date: 昨晚 is last night");
  });

  it("can be turned off", () => {
    assert.equal(understandQuery({ text: "snow 2019", dates: false }).dateRange, undefined);
  });

  it("a date alone is a browse of that range; negatives alone are refused", () => {
    const query = understand("yesterday");
    assert.deepEqual(query.positive, []);
    assert.equal(query.dateRange?.from, "2026-11-30");
    assert.throws(() => understand("-people"), /something to look for/);
  });

  it("reads a place named in the query as a place filter, the rest as the terms", () => {
    const arezzo = understand("street in Arezzo");
    assert.deepEqual(arezzo.positive, [{ text: "street", weight: 1 }]);
    assert.equal(arezzo.place?.text, "Arezzo");
    assert.ok(arezzo.place?.near && Math.abs(arezzo.place.near.lat - 43.46) < 0.05 && arezzo.place.near.radiusKm === 10);
    assert.deepEqual(understand("a church in Italy").place, { text: "Italy", country: "IT" });
    const chinese = understand("意大利的街道");
    assert.deepEqual([chinese.place, chinese.positive], [{ text: "Italy", country: "IT" }, [{ text: "街道", weight: 1 }]]);
    assert.deepEqual(understand("在芬兰拍的海边").place, { text: "Finland", country: "FI" });
    assert.equal(understand("street in paris at night").place?.text, "Paris");
    assert.equal(understand("street in paris at night").positive[0]?.text, "street at night");
    for (const plain of ["a dog in snow", "Street", "Arezzo", "a cat in a box"]) assert.equal(understand(plain).place, undefined, plain);
    assert.equal(understandQuery({ text: "street in Arezzo", places: false }).place, undefined);
  });
});
