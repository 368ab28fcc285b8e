import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toIndexText, toMatchQuery } from "./fulltext";

describe("full-text helpers", () => {
  it("indexes CJK one character per token and leaves other scripts alone", () => {
    assert.equal(toIndexText("一座雪山 snow").replace(/\s+/g, " ").trim(), "一 座 雪 山 snow");
  });

  it("queries a CJK run as a phrase and words with OR", () => {
    assert.equal(toMatchQuery("雪山 Mountain"), '"雪 山" OR "mountain"');
  });

  it("neutralises FTS5 syntax in user input", () => {
    assert.equal(toMatchQuery('a* OR "b" NEAR(c)'), '"a" OR "or" OR "b" OR "near" OR "c"');
    assert.equal(toMatchQuery("!!! ..."), undefined);
  });
});
