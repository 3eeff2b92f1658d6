import { describe, expect, it } from "vitest";
import { compareWithContract } from "./compare-contract.js";
import { nearName } from "./near-names.js";
import type { EnvRead } from "./source-readers.js";

const read = (name: string, extra: Partial<EnvRead> = {}): EnvRead => ({ name, file: "app.py", line: 1, language: "python", via: "os.getenv", hasDefault: false, ...extra });

describe("nearName", () => {
  it("GIVEN seed 000's names THEN renamed and misspelled vars are matched, different words are not", () => {
    expect(nearName("NOME_BUCKET_MIDIAS_MIA", ["BUCKET_NAME", "EXPORTS_BUCKET_NAME", "REDIS_PORT"])).toBe("BUCKET_NAME");
    expect(nearName("REDIS_HOTS", ["REDIS_HOST", "REDIS_PORT"])).toBe("REDIS_HOST");
    expect(nearName("REDIS_HOST", ["REDIS_PORT"])).toBeUndefined();
    expect(nearName("PROJECT_ID", ["LOG_LEVEL"])).toBeUndefined();
  });
});

describe("compareWithContract", () => {
  it("GIVEN reads and a contract THEN each var gets its status, localhost defaults and near names are called out", () => {
    const vars = compareWithContract(
      [read("REDIS_HOST", { hasDefault: true, defaultValue: "localhost" }), read("NOME_BUCKET_MIDIAS_MIA"), read("REDIS_PORT"), read("PORT")],
      { workloads: { worker: { REDIS_PORT: { from: "redis.port" }, BUCKET_NAME: { from: "bucket.media.name" } } } },
    );
    const byName = Object.fromEntries(vars.map((v) => [v.name, v]));
    expect(byName.REDIS_HOST?.status).toBe("not-wired");
    expect(byName.REDIS_HOST?.note).toContain('falls back to "localhost"');
    expect(byName.NOME_BUCKET_MIDIAS_MIA?.didYouMean).toBe("BUCKET_NAME");
    expect(byName.REDIS_PORT?.status).toBe("wired");
    expect(byName.PORT?.status).toBe("platform");
    expect(byName.BUCKET_NAME?.status).toBe("not-read");
    expect(vars[0]?.status).toBe("not-wired");
  });

  it("GIVEN no contract THEN every read is just read", () => {
    expect(compareWithContract([read("A")], undefined).map((v) => v.status)).toEqual(["read"]);
  });
});
