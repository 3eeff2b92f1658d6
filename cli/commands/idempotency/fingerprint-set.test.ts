import { describe, expect, it } from "vitest";
import { FingerprintSet } from "./fingerprint-set.js";

describe("FingerprintSet", () => {
  it("remembers keys across growth and reports a repeat once", () => {
    const set = new FingerprintSet(4);
    for (let i = 0; i < 10_000; i++) expect(set.add(`k${i}`)).toBe(true);
    for (let i = 0; i < 10_000; i += 7) expect(set.add(`k${i}`)).toBe(false);
    expect(set.count).toBe(10_000);
  });
  it("stops growing at its cap and says so", () => {
    const set = new FingerprintSet(4, 100);
    for (let i = 0; i < 1_000; i++) set.add(`k${i}`);
    expect(set.full).toBe(true);
    expect(set.count).toBeLessThanOrEqual(128);
  });
});
