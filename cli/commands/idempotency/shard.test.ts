import { describe, expect, it } from "vitest";
import { fnv1a, inShard, resolveShard } from "./shard.js";

describe("shards", () => {
  it("hashes stably (FNV-1a test vectors)", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
  });
  it("puts every key in exactly one shard", () => {
    for (let i = 0; i < 500; i++) {
      const owners = [0, 1, 2, 3].filter((index) => inShard(`key-${i}`, { index, count: 4 }));
      expect(owners).toHaveLength(1);
    }
  });
  it("takes --shard first, then the Cloud Run task index and count", () => {
    expect(resolveShard("2/5", {})).toEqual({ index: 2, count: 5 });
    expect(resolveShard(undefined, { CLOUD_RUN_TASK_INDEX: "3", CLOUD_RUN_TASK_COUNT: "4" })).toEqual({ index: 3, count: 4 });
    expect(resolveShard(undefined, {})).toEqual({ index: 0, count: 1 });
  });
  it("refuses shards out of range", () => {
    expect(() => resolveShard("4/4", {})).toThrow(/0..N-1/);
    expect(() => resolveShard("x", {})).toThrow(/i\/N/);
  });
});
