/**
 * The audit engine: scans the keys of every node (SCAN cursor by cursor, a few batches in flight,
 * committed in cursor order), looks their documents up in batches, then walks the documents of the
 * dedupe window and checks their keys. Every finding is re-read on the primary right before it is
 * reported or repaired. Memory stays bounded: one batch per in-flight slot plus the dedupe table.
 */
import type { Firestore } from "@google-cloud/firestore";
import { errorMessage, InterruptedError } from "../../core/errors.js";
import { LOG_EVENTS } from "../../core/log-event-names.js";
import type { Logger } from "../../core/output.js";
import type { Progress } from "../../core/progress.js";
import { type Checkpoint, writeCheckpoint } from "./checkpoint.js";
import { FingerprintSet } from "./fingerprint-set.js";
import { DocumentLookup, Semaphore, type WindowCursor, windowPage } from "./firestore-lookup.js";
import { classifyKey, type FindingType, type KeyRead, logicalKey, matchPattern, seedValue } from "./key-schema.js";
import { type RedisTopology, type ScanSource, serverRunId, withRedisRetry } from "./redis-connection.js";
import { type CommandCounter, compareAndDelete, existingKeys, readKeys, rereadKeys, seedKey, setPolicyTtl } from "./redis-ops.js";
import type { CheckSettings } from "./settings.js";
import { inShard } from "./shard.js";
import { addTally, emptyTally, SAMPLES_PER_FINDING, type Tally, totalFindings } from "./tally.js";
import { TokenBucket } from "./token-bucket.js";

/** What a repair of each finding does, for the recovery-failure event (the outcome names it on success). */
const REPAIR_ACTION: Record<FindingType, string> = {
  orphanKey: "delete-key",
  stuckInProgress: "delete-key",
  noTtl: "set-ttl",
  ttlOutOfPolicy: "clamp-ttl",
  docWithoutKey: "reseed-key",
};

/** SCAN batches processed concurrently per node (their Firestore reads overlap). */
const BATCHES_IN_FLIGHT = 8;
const CHECKPOINT_EVERY_MS = 1_000;

export interface AuditDeps {
  settings: CheckSettings;
  redis: RedisTopology;
  db: Firestore;
  log: Logger;
  signal: AbortSignal;
  progress: Progress;
  counter: CommandCounter;
  /** repairs are done (not --dry-run) */
  applyRepairs: boolean;
  /** publishes a reprocess event for a deleted orphan key */
  republish?: (finding: { key: string; redisKey: string }) => Promise<void>;
  /** fails the run before the document phase when SCAN matched no key at all */
  onNoKeys?: () => Promise<void>;
}

export async function runAudit(deps: AuditDeps, state: Checkpoint): Promise<Checkpoint> {
  const { settings, log, signal } = deps;
  const started = Date.now();
  const bucket = new TokenBucket(settings.maxRate);
  const firestoreSlots = new Semaphore(settings.concurrency);
  const lookup = new DocumentLookup(deps.db, settings.document, firestoreSlots, deps.counter, signal);
  const dedupe = new FingerprintSet();
  let lastSave = 0;
  const save = (force = false) => {
    if (!settings.checkpointFile) return;
    const now = Date.now();
    if (!force && now - lastSave < CHECKPOINT_EVERY_MS) return;
    lastSave = now;
    writeCheckpoint(settings.checkpointFile, { ...state, elapsedMs: state.elapsedMs + (now - started) });
  };
  const report = () => deps.progress.update(state.tally.scanned + state.tally.windowDocuments, `keys=${state.tally.scanned} docs=${state.tally.documentsChecked} findings=${totalFindings(state.tally)} redis=${rate(deps.counter.redis, started)} cmd/s`);
  const stop = () => {
    save(true);
    const where = settings.checkpointFile ? `; progress saved: resume with --resume ${settings.checkpointFile}` : "; pass --checkpoint FILE to be able to resume";
    return new InterruptedError(`idempotency check interrupted after ${state.tally.scanned} keys${where}`);
  };
  const findings = new FindingHandler(deps, lookup);

  let phaseStarted = Date.now();
  const endPhase = (phase: "keys" | "documents") => {
    const now = Date.now();
    state.phaseMs[phase] += now - phaseStarted;
    phaseStarted = now;
  };
  for (const source of deps.redis.sources) {
    let cursor = state.cursors[source.id] ?? "0";
    if (cursor === "done") continue;
    const runId = await withRedisRetry(`INFO server on ${source.id}`, signal, log, () => serverRunId(source.client));
    if (state.runIds[source.id] !== undefined && state.runIds[source.id] !== runId && cursor !== "0") {
      // Resuming against a restarted server: the saved cursor means nothing there.
      log.event("idempotency.redis_restarted", { node: source.id, action: "scanning this node again from cursor 0; keys counted before the restart may be counted twice" }, "WARNING");
      cursor = "0";
    }
    state.runIds[source.id] = runId;
    let seenReconnects = source.reconnects;
    // Bumped when the server restarted: cursors of batches scanned before that mean nothing now.
    let epoch = 0;
    const inflight: Array<{ done: Promise<Tally>; cursorAfter: string; epoch: number }> = [];
    const commitOldest = async () => {
      const batch = inflight.shift();
      if (!batch) return;
      addTally(state.tally, await batch.done);
      if (batch.epoch === epoch) state.cursors[source.id] = batch.cursorAfter === "0" ? "done" : batch.cursorAfter;
      report();
      save();
    };
    for (;;) {
      if (signal.aborted) break;
      if (source.reconnects !== seenReconnects) {
        seenReconnects = source.reconnects;
        const now = await withRedisRetry(`INFO server on ${source.id}`, signal, log, () => serverRunId(source.client));
        if (now !== state.runIds[source.id]) {
          // Redis restarted (or failed over): its hash table was rebuilt with a new seed, so the
          // cursor is void. Scan again from 0; keys already checked are skipped by the dedupe table.
          log.event("idempotency.redis_restarted", { node: source.id, cursor, action: "scanning again from cursor 0; keys already checked are skipped" }, "WARNING");
          state.runIds[source.id] = now;
          state.cursors[source.id] = "0";
          epoch += 1;
          cursor = "0";
        }
      }
      const at = cursor;
      const [next, keys] = await withRedisRetry(`SCAN ${at} on ${source.id}`, signal, log, () => source.client.scan(at, "MATCH", matchPattern(settings.schema.prefix), "COUNT", settings.scanCount));
      deps.counter.redis += 1;
      if (source.reconnects !== seenReconnects) continue; // the reply may come from a restarted server: check first
      // A SCAN examines about COUNT entries whether or not they match: that is its cost to Redis.
      await bucket.take(Math.max(keys.length, settings.scanCount), signal);
      const done = processKeyBatch(deps, source, keys, dedupe, findings, lookup);
      done.catch(() => {});
      inflight.push({ done, cursorAfter: next, epoch });
      while (inflight.length >= BATCHES_IN_FLIGHT) await commitOldest();
      cursor = next;
      if (next === "0") break;
    }
    while (inflight.length > 0) await commitOldest();
    if (signal.aborted) {
      endPhase("keys");
      throw stop();
    }
  }
  endPhase("keys");
  if (dedupe.full) log.warn("the dedupe table is full: keys SCAN returns twice may be counted twice; split the run with --shard i/N");

  if (state.tally.matched === 0 && !state.window.done) await deps.onNoKeys?.();

  // Reverse check: documents of the dedupe window whose key is missing.
  if (!state.window.done) {
    const fetchPage = (after: WindowCursor | undefined) => {
      const p = windowPage(deps.db, settings.document, state.window.sinceMs, after, signal, deps.counter);
      p.catch(() => {});
      return p;
    };
    let pending = fetchPage(state.window.after);
    for (;;) {
      if (signal.aborted) {
        endPhase("documents");
        throw stop();
      }
      const page = await pending;
      // Fetch the next page while this one is checked against Redis.
      if (page.next) pending = fetchPage(page.next);
      await bucket.take(page.read, signal);
      const tally = emptyTally();
      const mine = page.docs.filter((d) => inShard(d.key, settings.shard));
      tally.windowDocuments += mine.length;
      tally.documentsChecked += mine.length;
      const now = Date.now();
      const windowMs = settings.schema.windowSeconds * 1000;
      const live = mine.filter((d) => windowMs - (now - d.createdAtMs) > 0);
      const redisKeys = live.map((d) => settings.schema.prefix + d.key);
      const present = await withRedisRetry(`EXISTS of ${redisKeys.length} keys`, signal, log, () => existingKeys(deps.redis.reader, redisKeys, deps.counter));
      const missing = live.filter((d) => !present.has(settings.schema.prefix + d.key));
      if (missing.length > 0) await findings.documentsWithoutKey(missing, tally);
      addTally(state.tally, tally);
      state.window.after = page.next;
      if (!page.next) {
        state.window.done = true;
        break;
      }
      report();
      save();
    }
  }
  endPhase("documents");
  state.elapsedMs += Date.now() - started;
  if (settings.checkpointFile) writeCheckpoint(settings.checkpointFile, state);
  return state;
}

function rate(n: number, since: number): number {
  const s = (Date.now() - since) / 1000;
  return s > 0 ? Math.round(n / s) : 0;
}

async function processKeyBatch(deps: AuditDeps, source: ScanSource, keys: string[], dedupe: FingerprintSet, findings: FindingHandler, lookup: DocumentLookup): Promise<Tally> {
  const { settings, log, signal } = deps;
  const tally = emptyTally();
  tally.matched = keys.length;
  const mine: string[] = [];
  for (const key of keys) {
    if (!inShard(logicalKey(settings.schema, key), settings.shard)) continue;
    if (dedupe.add(key)) mine.push(key);
    else tally.duplicates += 1;
  }
  tally.scanned = mine.length;
  if (mine.length === 0) return tally;
  const reads = await withRedisRetry(`PTTL/GET of ${mine.length} keys on ${source.id}`, signal, log, () => readKeys(source.client, mine, deps.counter));
  const now = Date.now();
  const candidates: Array<{ type: FindingType; read: KeyRead }> = [];
  const needDocument: Array<{ read: KeyRead; orphanEligible: boolean; ttl?: "noTtl" | "ttlOutOfPolicy" }> = [];
  for (const read of reads) {
    const verdict = classifyKey(settings.schema, read, now);
    if (verdict.kind === "stuckInProgress") candidates.push({ type: "stuckInProgress", read });
    else if (verdict.kind === "needsDocument") needDocument.push({ read, orphanEligible: verdict.orphanEligible, ttl: verdict.ttl });
  }
  const found = await lookup.existing(needDocument.filter((n) => n.orphanEligible).map((n) => logicalKey(settings.schema, n.read.redisKey)));
  tally.documentsChecked += needDocument.filter((n) => n.orphanEligible).length;
  for (const n of needDocument) {
    const hasDoc = !n.orphanEligible || found.has(logicalKey(settings.schema, n.read.redisKey));
    if (!hasDoc) candidates.push({ type: "orphanKey", read: n.read });
    else if (n.ttl) candidates.push({ type: n.ttl, read: n.read });
  }
  if (candidates.length > 0) await findings.keyFindings(candidates, tally);
  return tally;
}

/** Re-checks candidates on the primary, then reports (and repairs) the ones that still hold. */
class FindingHandler {
  constructor(
    private readonly deps: AuditDeps,
    private readonly lookup: DocumentLookup,
  ) {}

  async keyFindings(candidates: Array<{ type: FindingType; read: KeyRead }>, tally: Tally): Promise<void> {
    const { settings, log, signal, redis, counter } = this.deps;
    const reread = await withRedisRetry(`re-reading ${candidates.length} keys`, signal, log, () => rereadKeys(redis.primary, candidates.map((c) => c.read.redisKey), counter));
    const now = Date.now();
    const orphanKeys = candidates.filter((c) => c.type === "orphanKey").map((c) => logicalKey(settings.schema, c.read.redisKey));
    const stillNoDoc = orphanKeys.length > 0 ? await this.lookup.existing(orphanKeys) : new Set<string>();
    for (const [i, candidate] of candidates.entries()) {
      const fresh = reread[i];
      // The key changed since the scan (a webhook wrote it, or it expired): not a finding any more.
      if (!fresh || fresh.value === null || fresh.value !== candidate.read.value) continue;
      const verdict = classifyKey(settings.schema, fresh, now);
      const holds =
        candidate.type === "orphanKey"
          ? verdict.kind === "needsDocument" && verdict.orphanEligible && !stillNoDoc.has(logicalKey(settings.schema, fresh.redisKey))
          : candidate.type === "stuckInProgress"
            ? verdict.kind === "stuckInProgress"
            : verdict.kind === "needsDocument" && verdict.ttl === candidate.type;
      if (!holds) continue;
      await this.record(candidate.type, fresh.redisKey, { pttlMs: fresh.pttl }, tally, () => this.repairKey(candidate.type, fresh));
    }
  }

  async documentsWithoutKey(docs: Array<{ key: string; createdAtMs: number }>, tally: Tally): Promise<void> {
    const { settings, log, signal, redis, counter } = this.deps;
    const redisKeys = docs.map((d) => settings.schema.prefix + d.key);
    const present = await withRedisRetry(`re-checking ${redisKeys.length} keys`, signal, log, () => existingKeys(redis.primary, redisKeys, counter));
    for (const doc of docs) {
      const redisKey = settings.schema.prefix + doc.key;
      if (present.has(redisKey)) continue;
      const remainingMs = Math.min(settings.schema.windowSeconds * 1000 - (Date.now() - doc.createdAtMs), settings.schema.ttlSeconds * 1000);
      if (remainingMs <= 0) continue;
      await this.record("docWithoutKey", redisKey, { createdAt: new Date(doc.createdAtMs).toISOString(), remainingTtlMs: remainingMs }, tally, async () => {
        const seeded = await withRedisRetry(`SET NX ${redisKey}`, signal, log, () => seedKey(redis.primary, redisKey, seedValue(settings.schema, doc.createdAtMs), remainingMs, counter));
        return seeded ? "seeded" : undefined;
      });
    }
  }

  private async record(type: FindingType, redisKey: string, fields: Record<string, unknown>, tally: Tally, repair: () => Promise<string | undefined>): Promise<void> {
    const { settings, log } = this.deps;
    tally.findings[type] += 1;
    if (tally.samples[type].length < SAMPLES_PER_FINDING) tally.samples[type].push(redisKey);
    // Event names and fields follow cli/core/log-events.ts: the log-based metrics behind the
    // "Idempotency inconsistencies above threshold" and "Idempotency repair failed" alerts count them.
    log.event(LOG_EVENTS.idempotencyInconsistentDetected, { kind: type, key: redisKey, ...fields });
    if (!settings.repair || !this.deps.applyRepairs) return;
    let outcome: string | undefined;
    try {
      outcome = await repair();
    } catch (err) {
      log.event(LOG_EVENTS.idempotencyRecoveryFailure, { kind: type, key: redisKey, action: REPAIR_ACTION[type], error: errorMessage(err) });
      throw err;
    }
    if (outcome === undefined) {
      tally.repairSkipped[type] += 1;
      log.event("idempotency.repair_skipped", { finding: type, key: redisKey, reason: "the key changed since it was read; left as the writer set it" });
      return;
    }
    tally.repaired[type] += 1;
    log.event(LOG_EVENTS.idempotencyRecoverySuccess, { kind: type, key: redisKey, action: outcome });
    if (type === "orphanKey" && this.deps.republish) {
      await this.deps.republish({ key: logicalKey(settings.schema, redisKey), redisKey });
      tally.republished += 1;
    }
  }

  /** The repair of a key finding; undefined when the key no longer holds the value that was read. */
  private async repairKey(type: FindingType, read: KeyRead): Promise<string | undefined> {
    const { settings, log, signal, redis, counter } = this.deps;
    const value = read.value ?? "";
    const ttlMs = settings.schema.ttlSeconds * 1000;
    const ok = await withRedisRetry(`repairing ${read.redisKey}`, signal, log, () => {
      if (type === "orphanKey" || type === "stuckInProgress") return compareAndDelete(redis.primary, read.redisKey, value, counter);
      return setPolicyTtl(redis.primary, read.redisKey, value, ttlMs, type === "noTtl" ? "noTtl" : "clamp", counter);
    });
    if (!ok) return undefined;
    return type === "orphanKey" || type === "stuckInProgress" ? "deleted" : type === "noTtl" ? "expire-set" : "ttl-clamped";
  }
}
