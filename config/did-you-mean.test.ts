import { describe, expect, it } from "vitest";
import { closest, didYouMean } from "./did-you-mean.js";

describe("did-you-mean", () => {
  it("finds near names, case-insensitively, and prefixes", () => {
    expect(closest("redis.hostname", ["redis.host", "redis.port", "project.id"])).toBe("redis.host");
    expect(closest("bucket_name", ["BUCKET_NAME", "PROJECT_ID"])).toBe("BUCKET_NAME");
    expect(didYouMean("volatile-lr", ["volatile-lru", "allkeys-lru"])).toBe('; did you mean "volatile-lru"?');
  });

  it("suggests nothing for unrelated names", () => {
    expect(closest("NOME_BUCKET_MIDIAS_MIA", ["REDIS_HOST", "PROJECT_ID"])).toBeUndefined();
    expect(didYouMean("zzz", [])).toBe("");
  });
});
