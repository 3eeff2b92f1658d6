/**
 * Splitting the keyspace over Cloud Run Job tasks: a key belongs to shard `fnv1a(key) % count`.
 * The hash is of the logical key (prefix removed), so the key scan and the document scan agree on
 * which task owns a key, and it never depends on Redis internals (slots, SCAN order).
 */
import { usageError } from "../../core/errors.js";

export interface Shard {
  index: number;
  count: number;
}

export const WHOLE_KEYSPACE: Shard = { index: 0, count: 1 };

/** 32-bit FNV-1a over the UTF-8 bytes: stable across processes, machines and Node versions. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function inShard(key: string, shard: Shard): boolean {
  return shard.count === 1 || fnv1a(key) % shard.count === shard.index;
}

/** `--shard i/N`, else CLOUD_RUN_TASK_INDEX / CLOUD_RUN_TASK_COUNT, else the whole keyspace. */
export function resolveShard(flag: string | undefined, env: NodeJS.ProcessEnv): Shard {
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag.trim());
    if (!m) throw usageError(`--shard "${flag}" is not of the form i/N`, "for example --shard 0/4 (shards are numbered 0..N-1)");
    return checked(Number(m[1]), Number(m[2]), `--shard ${flag}`);
  }
  if (env.CLOUD_RUN_TASK_COUNT !== undefined) {
    const index = Number(env.CLOUD_RUN_TASK_INDEX ?? "0");
    const count = Number(env.CLOUD_RUN_TASK_COUNT);
    return checked(index, count, `CLOUD_RUN_TASK_INDEX=${env.CLOUD_RUN_TASK_INDEX}/CLOUD_RUN_TASK_COUNT=${env.CLOUD_RUN_TASK_COUNT}`);
  }
  return WHOLE_KEYSPACE;
}

function checked(index: number, count: number, source: string): Shard {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw usageError(`${source}: shard index must be in 0..N-1 and N at least 1`, "for example --shard 0/4");
  }
  return { index, count };
}
