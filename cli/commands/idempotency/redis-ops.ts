/**
 * The Redis commands of the audit: pipelined PTTL + GET reads, and repairs that only act when the
 * key still holds the value that was read (Lua runs atomically on the server, so a webhook that
 * rewrites the key between our read and our repair is never clobbered).
 */
import type { Cluster, Redis } from "ioredis";
import type { KeyRead } from "./key-schema.js";

/** Counts every command sent, so the run can report its own load on the Redis. */
export class CommandCounter {
  redis = 0;
  firestore = 0;
}

function pairs<T>(rows: Array<[Error | null, unknown]> | null, size: number): T[] {
  if (!rows || rows.length !== size) throw new Error("pipeline returned no replies (connection closed)");
  return rows.map(([err, value]) => {
    if (err) throw err;
    return value as T;
  });
}

/** One round trip: PTTL and GET of every key (on a standalone node or one cluster master). */
export async function readKeys(client: Redis, keys: string[], counter: CommandCounter): Promise<KeyRead[]> {
  if (keys.length === 0) return [];
  const pipeline = client.pipeline();
  for (const key of keys) pipeline.pttl(key).get(key);
  counter.redis += keys.length * 2;
  const replies = pairs<number | string | null>(await pipeline.exec(), keys.length * 2);
  return keys.map((redisKey, i) => ({ redisKey, pttl: Number(replies[2 * i]), value: (replies[2 * i + 1] as string | null) ?? null }));
}

/** Re-reads keys on the primary right before reporting or repairing (SCAN gives no snapshot). */
export async function rereadKeys(client: Redis | Cluster, keys: string[], counter: CommandCounter): Promise<KeyRead[]> {
  counter.redis += keys.length * 2;
  return Promise.all(keys.map(async (redisKey) => {
    const [pttl, value] = await Promise.all([client.pttl(redisKey), client.get(redisKey)]);
    return { redisKey, pttl: Number(pttl), value: value ?? null };
  }));
}

export async function existingKeys(client: Redis | Cluster, keys: string[], counter: CommandCounter): Promise<Set<string>> {
  counter.redis += keys.length;
  const found = new Set<string>();
  if (keys.length === 0) return found;
  if ("pipeline" in client && !("nodes" in client)) {
    const pipeline = client.pipeline();
    for (const key of keys) pipeline.exists(key);
    const replies = pairs<number>(await pipeline.exec(), keys.length);
    keys.forEach((k, i) => {
      if (Number(replies[i]) > 0) found.add(k);
    });
    return found;
  }
  // A Cluster auto-pipelines these per master.
  const replies = await Promise.all(keys.map((k) => client.exists(k)));
  keys.forEach((k, i) => {
    if (Number(replies[i]) > 0) found.add(k);
  });
  return found;
}

const COMPARE_AND_DELETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// ARGV: value read, policy TTL ms, mode ("noTtl": only if the key still has no expiry;
// "clamp": only if its TTL is still longer than the policy).
const SET_POLICY_TTL = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local t = redis.call('PTTL', KEYS[1])
if ARGV[3] == 'noTtl' then
  if t ~= -1 then return 0 end
elseif t <= tonumber(ARGV[2]) then
  return 0
end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`;

/** Deletes the key only if it still holds `expected`; true when it was deleted. */
export async function compareAndDelete(client: Redis | Cluster, key: string, expected: string, counter: CommandCounter): Promise<boolean> {
  counter.redis += 1;
  return Number(await client.eval(COMPARE_AND_DELETE, 1, key, expected)) === 1;
}

export async function setPolicyTtl(client: Redis | Cluster, key: string, expected: string, ttlMs: number, mode: "noTtl" | "clamp", counter: CommandCounter): Promise<boolean> {
  counter.redis += 1;
  return Number(await client.eval(SET_POLICY_TTL, 1, key, expected, String(ttlMs), mode)) === 1;
}

/** SET NX: never overwrites a key that appeared meanwhile. */
export async function seedKey(client: Redis | Cluster, key: string, value: string, ttlMs: number, counter: CommandCounter): Promise<boolean> {
  counter.redis += 1;
  return (await client.set(key, value, "PX", ttlMs, "NX")) === "OK";
}
