import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "./index";

describe("AppError", () => {
  it("is recognised across copies of the module, as separately bundled server code produces", async () => {
    // A second, independent copy of the module (a fresh module instance via a query string).
    const copy = (await import(`./index.ts?copy=${Date.now()}`)) as typeof import("./index");
    assert.notEqual(copy.AppError, AppError);
    const foreign = new copy.AppError("not_found", "gone");
    assert.ok(foreign instanceof AppError);
    assert.equal((foreign as AppError).status, 404);
    assert.ok(!(new Error("plain") instanceof AppError));
  });
});
