import { describe, expect, it } from "vitest";
import { parseRedisUrl, resolveSettings } from "./settings.js";

const flags = { redisUrl: "redis://127.0.0.1:6380", prefix: "p:", collection: "messages", idTemplate: "{key}" };

describe("resolveSettings", () => {
  it("works from flags alone", () => {
    const s = resolveSettings(flags, undefined, {});
    expect(s.primary).toMatchObject({ host: "127.0.0.1", port: 6380, tls: false });
    expect(s.schema.ttlSeconds).toBe(86_400);
    expect(s.shard).toEqual({ index: 0, count: 1 });
  });
  it("lets flags override the config section", () => {
    const config = { keyPrefix: "idempotency:", valueFormat: "json", statusField: "status", timestampField: "ts", inProgressStatus: "IN_PROGRESS", completedStatus: "COMPLETED", ttlSeconds: 100, leaseSeconds: 10, windowSeconds: 50, document: { collection: "messages", field: "metadata.id", timestampField: "createdAt" }, maxRate: 2000, useReadReplica: true } as const;
    const s = resolveSettings({ redisUrl: "rediss://10.0.0.3:6378", ttlPolicy: "200" }, config, { REDIS_READ_HOST: "10.0.0.4", REDIS_READ_PORT: "6378", REDIS_TLS: "true", REDIS_PASSWORD: "pw-from-env" });
    expect(s.schema).toMatchObject({ prefix: "idempotency:", ttlSeconds: 200, leaseSeconds: 10, valueFormat: "json" });
    expect(s.document).toMatchObject({ collection: "messages", field: "metadata.id" });
    expect(s.replica).toMatchObject({ host: "10.0.0.4", tls: true });
    expect(s.password).toBe("pw-from-env");
    expect(s.maxRate).toBe(2000);
  });
  it("takes the Redis endpoint from REDIS_HOST/REDIS_PORT in a Cloud Run job", () => {
    const { redisUrl: _, ...rest } = flags;
    expect(resolveSettings(rest, undefined, { REDIS_HOST: "10.1.2.3", REDIS_PORT: "6378", REDIS_TLS: "true" }).primary).toMatchObject({ host: "10.1.2.3", port: 6378, tls: true });
  });
  it("refuses what would be a mistake", () => {
    expect(() => resolveSettings({ ...flags, field: "x" }, undefined, {})).toThrow(/exclusive/);
    expect(() => resolveSettings({ ...flags, idTemplate: "msg" }, undefined, {})).toThrow(/\{key\}/);
    expect(() => resolveSettings({ ...flags, prefix: "*" }, undefined, {})).toThrow(/every key/);
    expect(() => resolveSettings({ ...flags, maxRate: "0" }, undefined, {})).toThrow(/positive integer/);
  });
});

describe("parseRedisUrl", () => {
  it("keeps user and database, never a password", () => {
    expect(parseRedisUrl("redis://default@h:1/2", "--redis-url")).toMatchObject({ host: "h", port: 1, db: 2, username: "default", display: "redis://h:1/2" });
    expect(() => parseRedisUrl("redis://u:secret@h:1", "--redis-url")).toThrow(/password/);
  });
});
