/**
 * Counts and month headings written without Intl (whose first formatter costs a phone tens of
 * milliseconds in the gallery's first render) read exactly as Intl writes them, in both languages.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatCount, monthHeading, plural, type Language } from "./format";

const LANGUAGES: [Language, string][] = [
  ["en", "en"],
  ["zh", "zh-CN"],
];
const COUNTS = [0, 1, 2, 3, 9, 10, 11, 21, 99, 100, 101, 999, 1000, 1001, 12_345, 100_000, 999_999, 1_000_000, 1_234_567_890, -1, -1234];

describe("formatCount and plural", () => {
  it("write and pluralize whole counts as Intl does", () => {
    for (const [lang, locale] of LANGUAGES) {
      const rules = new Intl.PluralRules(locale);
      const digits = new Intl.NumberFormat(locale);
      for (const count of COUNTS) {
        assert.equal(formatCount(lang, count), digits.format(count), `${lang} ${count}`);
        const form = rules.select(count) === "one" ? "one" : "other";
        assert.equal(plural(lang, { one: "one {count}", other: "other {count}" }, count), `${form} ${digits.format(count)}`);
      }
    }
  });

  it("leave other numbers to Intl", () => {
    assert.equal(formatCount("en", 1234.5), new Intl.NumberFormat("en").format(1234.5));
    assert.equal(plural("en", { one: "{count} photo", other: "{count} photos" }, 1.5), "1.5 photos");
  });

  it("use the other form when a message has no one form, and fill the other placeholders", () => {
    assert.equal(plural("en", { other: "{count} near {lat}" }, 1, { lat: "1.50" }), "1 near 1.50");
    assert.equal(plural("zh", { one: "一张", other: "{count} 张照片" }, 1), "1 张照片");
  });
});

describe("monthHeading", () => {
  it("reads as Intl's long month and numeric year", () => {
    for (const [lang, locale] of [
      ["en", "en-GB"],
      ["zh", "zh-CN"],
    ] as [Language, string][]) {
      const intl = new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" });
      for (const month of ["1999-01", "2008-02", "2022-08", "2024-10", "2026-12"])
        assert.equal(monthHeading(lang, month), intl.format(new Date(`${month}-01T00:00:00Z`)), `${lang} ${month}`);
    }
  });
});
