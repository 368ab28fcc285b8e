import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byDateNewestFirst, groupByMonth, monthOf } from "./index";

const at = (takenAt?: string) => ({ photo: { takenAt } });

describe("timeline", () => {
  it("groups consecutive photos by month, undated ones in their own group", () => {
    const groups = groupByMonth([at("2008-10-22T10:00:00Z"), at("2008-10-01T00:00:00Z"), at("2008-09-30T23:00:00Z"), at(), at()]);
    assert.deepEqual(
      groups.map((g) => [g.month, g.items.map((i) => i.index)]),
      [
        ["2008-10", [0, 1]],
        ["2008-09", [2]],
        ["", [3, 4]],
      ],
    );
  });

  it("orders by date newest first, undated last, keeping relevance order among equals", () => {
    const items = [at(), at("2001-01-01T00:00:00Z"), at("2010-01-01T00:00:00Z"), at("2001-01-01T00:00:00Z")];
    assert.deepEqual(
      byDateNewestFirst(items).map((i) => items.indexOf(i)),
      [2, 1, 3, 0],
    );
  });

  it("reads the month as recorded", () => {
    assert.equal(monthOf("2019-12-31T23:59:00Z"), "2019-12");
    assert.equal(monthOf(undefined), "");
  });
});
