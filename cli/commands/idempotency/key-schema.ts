/**
 * The key schema (DESIGN.md "Idempotency consistency check"): how a Redis key maps to its logical
 * key and document, what its value means, and which finding a key read from Redis is. Pure logic.
 */

export const FINDING_TYPES = ["orphanKey", "stuckInProgress", "noTtl", "ttlOutOfPolicy", "docWithoutKey"] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

export interface KeySchema {
  prefix: string;
  valueFormat: "plain" | "json";
  statusField: string;
  timestampField: string;
  inProgressStatus: string;
  completedStatus: string;
  ttlSeconds: number;
  leaseSeconds: number;
  windowSeconds: number;
}

/**
 * A key younger than this is never called an orphan: the application marks the key and then writes
 * the document (seed 002), so for a moment every new key has no document yet.
 */
export const ORPHAN_MIN_AGE_MS = 60_000;

/** What one pipelined PTTL + GET returned for a key. */
export interface KeyRead {
  redisKey: string;
  /** milliseconds; -1 no expiry, -2 the key is gone */
  pttl: number;
  value: string | null;
}

export interface ParsedValue {
  status?: string;
  /** epoch milliseconds */
  timestampMs?: number;
}

export function logicalKey(schema: KeySchema, redisKey: string): string {
  return redisKey.startsWith(schema.prefix) ? redisKey.slice(schema.prefix.length) : redisKey;
}

/** A SCAN MATCH pattern for the prefix, with glob characters escaped. */
export function matchPattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
}

export function parseValue(schema: KeySchema, value: string | null): ParsedValue {
  if (value === null || schema.valueFormat === "plain") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== "object") return {};
  const record = parsed as Record<string, unknown>;
  const status = record[schema.statusField];
  return { status: typeof status === "string" ? status : undefined, timestampMs: toEpochMs(record[schema.timestampField]) };
}

/** Epoch seconds or milliseconds (numbers or numeric strings), or an ISO-8601 string. */
export function toEpochMs(raw: unknown): number | undefined {
  if (typeof raw === "number" && Number.isFinite(raw)) return raw < 1e11 ? raw * 1000 : raw;
  if (typeof raw === "string" && raw.trim() !== "") {
    if (/^\d+(\.\d+)?$/.test(raw)) return toEpochMs(Number(raw));
    const t = Date.parse(raw);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** The key's age: its own timestamp when the value has one, else inferred from the remaining TTL. */
export function keyAgeMs(schema: KeySchema, read: KeyRead, nowMs: number): number | undefined {
  const ts = parseValue(schema, read.value).timestampMs;
  if (ts !== undefined) return nowMs - ts;
  if (read.pttl > 0 && read.pttl <= schema.ttlSeconds * 1000) return schema.ttlSeconds * 1000 - read.pttl;
  return undefined;
}

export type KeyVerdict =
  | { kind: "gone" }
  /** in progress within its lease, or too young to judge: no document is expected yet */
  | { kind: "young" }
  | { kind: "stuckInProgress" }
  /**
   * needs a document lookup: a missing document is an orphanKey when `orphanEligible` (old enough);
   * otherwise `ttl` is the finding to report, if any
   */
  | { kind: "needsDocument"; orphanEligible: boolean; ttl?: "noTtl" | "ttlOutOfPolicy" };

export function classifyKey(schema: KeySchema, read: KeyRead, nowMs: number): KeyVerdict {
  if (read.pttl === -2 || read.value === null) return { kind: "gone" };
  const parsed = parseValue(schema, read.value);
  if (schema.valueFormat === "json" && parsed.status === schema.inProgressStatus) {
    const age = parsed.timestampMs !== undefined ? nowMs - parsed.timestampMs : keyAgeMs(schema, read, nowMs);
    // An IN_PROGRESS key without any age information is judged by its TTL alone (below).
    if (age !== undefined && age > schema.leaseSeconds * 1000) return { kind: "stuckInProgress" };
    if (age !== undefined) return { kind: "young" };
  }
  const ttl = ttlFinding(schema, read.pttl);
  const age = keyAgeMs(schema, read, nowMs);
  const orphanEligible = age === undefined || age >= ORPHAN_MIN_AGE_MS;
  if (!orphanEligible && !ttl) return { kind: "young" };
  return { kind: "needsDocument", orphanEligible, ttl };
}

export function ttlFinding(schema: KeySchema, pttl: number): "noTtl" | "ttlOutOfPolicy" | undefined {
  if (pttl === -1) return "noTtl";
  // One second of slack: EXPIRE rounds, and a key set a moment ago may read as policy + rounding.
  if (pttl > schema.ttlSeconds * 1000 + 1000) return "ttlOutOfPolicy";
  return undefined;
}

/** The value written when re-seeding a key for a document (docWithoutKey repair). */
export function seedValue(schema: KeySchema, createdAtMs: number): string {
  if (schema.valueFormat === "plain") return "1";
  return JSON.stringify({ [schema.statusField]: schema.completedStatus, [schema.timestampField]: createdAtMs });
}

/** Document id for a key under an id template such as "{key}" or "msg-{key}". */
export function documentIdFor(template: string, key: string): string | undefined {
  const id = template.split("{key}").join(key);
  // A "/" would address a sub-collection, "." and ".." are reserved ids: no document can match.
  if (id === "" || id.includes("/") || id === "." || id === "..") return undefined;
  return id;
}

/** The key a document id stands for under the template, or undefined when it does not fit. */
export function keyForDocumentId(template: string, id: string): string | undefined {
  const at = template.indexOf("{key}");
  if (at < 0) return undefined;
  const head = template.slice(0, at);
  const tail = template.slice(at + "{key}".length);
  if (!id.startsWith(head) || !id.endsWith(tail) || id.length < head.length + tail.length) return undefined;
  return id.slice(head.length, id.length - tail.length);
}
