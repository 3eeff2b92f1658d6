/**
 * Seeds a Redis keyspace and a Firestore collection with a known set of findings, for the
 * idempotency check tests and the bench.
 */
import { Firestore, Timestamp } from "@google-cloud/firestore";
import type { Cluster, Redis } from "ioredis";

export const PROJECT = "demo-opsctl-idem";

export const POLICY = { ttlSeconds: 7200, leaseSeconds: 300, windowSeconds: 3600 };

export function firestore(host: string): Firestore {
  process.env.FIRESTORE_EMULATOR_HOST = host;
  return new Firestore({ projectId: PROJECT });
}

export interface Planted {
  clean: string[];
  orphanKey: string[];
  stuckInProgress: string[];
  noTtl: string[];
  ttlOutOfPolicy: string[];
  docWithoutKey: string[];
  /** never findings: young in-progress and young completed keys, old documents */
  benign: string[];
}

const json = (status: string, tsMs: number) => JSON.stringify({ status, ts: tsMs });

/** Every finding type plus clean and benign keys; documents by id (`{key}`). */
export async function seedEveryFinding(redis: Redis | Cluster, db: Firestore, prefix: string, collection: string): Promise<Planted> {
  const now = Date.now();
  const p: Planted = { clean: [], orphanKey: [], stuckInProgress: [], noTtl: [], ttlOutOfPolicy: [], docWithoutKey: [], benign: [] };
  const col = db.collection(collection);
  const writer = db.bulkWriter();
  const doc = (key: string, createdMs: number) => void writer.set(col.doc(key), { createdAt: Timestamp.fromMillis(createdMs), key });
  for (let i = 0; i < 20; i++) {
    const k = `clean-${i}`;
    p.clean.push(k);
    await redis.set(prefix + k, json("COMPLETED", now - 600_000), "EX", 3600);
    doc(k, now - 600_000);
  }
  for (let i = 0; i < 3; i++) {
    const k = `orphan-${i}`;
    p.orphanKey.push(k);
    await redis.set(prefix + k, json("COMPLETED", now - 600_000), "EX", 3600);
  }
  for (let i = 0; i < 2; i++) {
    const k = `stuck-${i}`;
    p.stuckInProgress.push(k);
    await redis.set(prefix + k, json("IN_PROGRESS", now - 1_200_000), "EX", 3600);
  }
  for (let i = 0; i < 2; i++) {
    const k = `nottl-${i}`;
    p.noTtl.push(k);
    await redis.set(prefix + k, json("COMPLETED", now - 600_000));
    doc(k, now - 600_000);
  }
  for (let i = 0; i < 2; i++) {
    const k = `longttl-${i}`;
    p.ttlOutOfPolicy.push(k);
    await redis.set(prefix + k, json("COMPLETED", now - 600_000), "EX", POLICY.ttlSeconds * 10);
    doc(k, now - 600_000);
  }
  for (let i = 0; i < 2; i++) {
    const k = `nokey-${i}`;
    p.docWithoutKey.push(k);
    doc(k, now - 600_000);
  }
  // Benign: in progress within the lease, completed a moment ago (document not written yet), an old
  // document outside the dedupe window.
  await redis.set(`${prefix}young-inprogress`, json("IN_PROGRESS", now - 10_000), "EX", 3600);
  await redis.set(`${prefix}young-completed`, json("COMPLETED", now - 5_000), "EX", 3600);
  doc("old-doc", now - 2 * POLICY.windowSeconds * 1000);
  p.benign.push("young-inprogress", "young-completed", "old-doc");
  await writer.close();
  return p;
}

export const policyFlags = ["--value-format", "json", "--ttl-policy", String(POLICY.ttlSeconds), "--lease", String(POLICY.leaseSeconds), "--window", String(POLICY.windowSeconds)];

/** Many plain keys with documents, a few orphans and documents without keys. */
export async function seedBulk(redis: Redis, db: Firestore, prefix: string, collection: string, counts: { clean: number; orphans: number; docsWithoutKey: number }): Promise<void> {
  const now = Date.now();
  const col = db.collection(collection);
  const writer = db.bulkWriter();
  writer.onWriteError(() => true);
  let pipeline = redis.pipeline();
  const flush = async () => {
    await pipeline.exec();
    pipeline = redis.pipeline();
  };
  for (let i = 0; i < counts.clean; i++) {
    pipeline.set(`${prefix}k${i}`, "1", "EX", 3000);
    void writer.set(col.doc(`k${i}`), { createdAt: Timestamp.fromMillis(now - 600_000) });
    if (i % 1000 === 999) await flush();
  }
  for (let i = 0; i < counts.orphans; i++) pipeline.set(`${prefix}orphan${i}`, "1", "EX", 3000);
  for (let i = 0; i < counts.docsWithoutKey; i++) void writer.set(col.doc(`nokey${i}`), { createdAt: Timestamp.fromMillis(now - 600_000) });
  await flush();
  await writer.close();
}
