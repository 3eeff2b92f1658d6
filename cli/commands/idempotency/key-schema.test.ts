import { describe, expect, it } from "vitest";
import { classifyKey, documentIdFor, type KeySchema, keyForDocumentId, matchPattern, parseValue, seedValue, toEpochMs, ttlFinding } from "./key-schema.js";

const schema: KeySchema = { prefix: "idem:", valueFormat: "json", statusField: "status", timestampField: "ts", inProgressStatus: "IN_PROGRESS", completedStatus: "COMPLETED", ttlSeconds: 3600, leaseSeconds: 300, windowSeconds: 3600 };
const now = 1_800_000_000_000;
const json = (status: string, ts: number) => JSON.stringify({ status, ts });

describe("classifyKey", () => {
  it("an IN_PROGRESS key older than the lease is stuck; within the lease it is left alone", () => {
    expect(classifyKey(schema, { redisKey: "idem:a", pttl: 1_000_000, value: json("IN_PROGRESS", now - 301_000) }, now)).toEqual({ kind: "stuckInProgress" });
    expect(classifyKey(schema, { redisKey: "idem:a", pttl: 1_000_000, value: json("IN_PROGRESS", now - 10_000) }, now)).toEqual({ kind: "young" });
  });

  it("a completed key needs its document; a key a moment old cannot be an orphan yet", () => {
    expect(classifyKey(schema, { redisKey: "idem:a", pttl: 1_000_000, value: json("COMPLETED", now - 120_000) }, now)).toEqual({ kind: "needsDocument", orphanEligible: true, ttl: undefined });
    expect(classifyKey(schema, { redisKey: "idem:a", pttl: 1_000_000, value: json("COMPLETED", now - 5_000) }, now)).toEqual({ kind: "young" });
  });

  it("reports TTL problems next to the document check", () => {
    expect(classifyKey(schema, { redisKey: "idem:a", pttl: -1, value: json("COMPLETED", now - 120_000) }, now)).toEqual({ kind: "needsDocument", orphanEligible: true, ttl: "noTtl" });
    expect(classifyKey(schema, { redisKey: "idem:a", pttl: 36_000_000, value: json("COMPLETED", now - 120_000) }, now)).toEqual({ kind: "needsDocument", orphanEligible: true, ttl: "ttlOutOfPolicy" });
  });

  it("a key that vanished between SCAN and GET is no finding", () => {
    expect(classifyKey(schema, { redisKey: "idem:a", pttl: -2, value: null }, now)).toEqual({ kind: "gone" });
  });

  it("plain values take their age from the remaining TTL", () => {
    const plain = { ...schema, valueFormat: "plain" as const };
    expect(classifyKey(plain, { redisKey: "idem:a", pttl: 3_590_000, value: "1" }, now)).toEqual({ kind: "young" });
    expect(classifyKey(plain, { redisKey: "idem:a", pttl: 3_000_000, value: "1" }, now)).toMatchObject({ kind: "needsDocument", orphanEligible: true });
  });
});

describe("values and timestamps", () => {
  it("reads epoch seconds, milliseconds and ISO strings", () => {
    expect(toEpochMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(toEpochMs(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(toEpochMs("2026-01-01T00:00:00Z")).toBe(Date.parse("2026-01-01T00:00:00Z"));
    expect(toEpochMs("nope")).toBeUndefined();
  });
  it("tolerates values that are not JSON", () => {
    expect(parseValue(schema, "1")).toEqual({});
  });
  it("has one second of slack on the TTL policy", () => {
    expect(ttlFinding(schema, 3_600_500)).toBeUndefined();
    expect(ttlFinding(schema, 3_602_000)).toBe("ttlOutOfPolicy");
  });
  it("re-seeds with a completed marker", () => {
    expect(JSON.parse(seedValue(schema, 42))).toEqual({ status: "COMPLETED", ts: 42 });
    expect(seedValue({ ...schema, valueFormat: "plain" }, 42)).toBe("1");
  });
});

describe("key ↔ document id", () => {
  it("maps both ways through the template", () => {
    expect(documentIdFor("msg-{key}", "abc")).toBe("msg-abc");
    expect(keyForDocumentId("msg-{key}", "msg-abc")).toBe("abc");
    expect(keyForDocumentId("msg-{key}", "other")).toBeUndefined();
  });
  it("refuses ids Firestore cannot hold", () => {
    expect(documentIdFor("{key}", "a/b")).toBeUndefined();
    expect(documentIdFor("{key}", "..")).toBeUndefined();
  });
  it("escapes glob characters of the prefix in MATCH", () => {
    expect(matchPattern("idem:")).toBe("idem:*");
    expect(matchPattern("a*b?[c]")).toBe("a\\*b\\?\\[c\\]*");
  });
});
