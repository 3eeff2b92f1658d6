import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket.js";

describe("TokenBucket", () => {
  it("lets one second of rate through, then asks to wait in proportion", () => {
    let t = 0;
    const bucket = new TokenBucket(1000, () => t);
    expect(bucket.reserve(1000)).toBe(0);
    expect(bucket.reserve(500)).toBe(500);
    t = 1500; // the debt is paid and 1000 tokens are back
    expect(bucket.reserve(1000)).toBe(0);
  });
});
