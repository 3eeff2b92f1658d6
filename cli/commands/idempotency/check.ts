/**
 * `opsctl idempotency check [--repair]`: the Redis ↔ Firestore consistency audit (seed 002: a key
 * without its message document made every retry of that message a "duplicate" until the key expired).
 */
import { type CommandInput, type CommandResult, booleanOption } from "../../core/command.js";
import { errorMessage, remoteError, usageError } from "../../core/errors.js";
import { ExitCode } from "../../core/exit-codes.js";
import { firestoreClient, pubsubClient } from "../../core/google-clients.js";
import { formatTable } from "../../core/output.js";
import { registerSecret } from "../../core/redact.js";
import { runAudit } from "./audit.js";
import { type Checkpoint, readCheckpoint } from "./checkpoint.js";
import { FINDING_TYPES, type FindingType } from "./key-schema.js";
import { connectRedis } from "./redis-connection.js";
import { CommandCounter } from "./redis-ops.js";
import { type CheckSettings, resolveSettings } from "./settings.js";
import { emptyTally, totalFindings, totalRepaired } from "./tally.js";

export interface CheckResult {
  scanned: number;
  duplicates: number;
  documentsChecked: number;
  windowDocuments: number;
  findings: Record<FindingType, number>;
  repaired: Record<FindingType, number>;
  repairSkipped: Record<FindingType, number>;
  remaining: number;
  samples: Record<FindingType, string[]>;
  republished: number;
  durationMs: number;
  /** time of the key scan and of the document-window scan */
  phaseMs: { keys: number; documents: number };
  load: { redisCommands: number; redisCommandsPerSecond: number; firestoreReads: number; firestoreReadsPerSecond: number; maxRate: number };
  redis: { mode: "standalone" | "cluster"; nodes: string[]; readsFrom: "replica" | "primary" };
  shard: string;
  repair: "off" | "planned" | "applied";
  resumed: boolean;
  checkpoint?: string;
}

function identityOf(s: CheckSettings): string {
  const mapping = s.document.idTemplate !== undefined ? `id=${s.document.idTemplate}` : `field=${s.document.field}`;
  return `${s.primary.display} ${s.schema.prefix} ${s.document.collection}[${mapping}] shard ${s.shard.index}/${s.shard.count}`;
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<CheckResult>> {
  const config = ctx.global.env !== undefined || ctx.global.config !== undefined ? await ctx.loadConfig() : undefined;
  const settings = resolveSettings(options, config?.idempotency, process.env, config?.firestore.databaseId);
  registerSecret(settings.password);
  const projectId = ctx.projectId(config);
  const identity = identityOf(settings);
  const resumed = settings.resumeFile !== undefined;
  const state: Checkpoint = settings.resumeFile
    ? readCheckpoint(settings.resumeFile, identity)
    : { version: 1, identity, startedAt: new Date().toISOString(), cursors: {}, runIds: {}, window: { sinceMs: Date.now() - settings.schema.windowSeconds * 1000, done: false }, tally: emptyTally(), elapsedMs: 0, phaseMs: { keys: 0, documents: 0 } };

  const applyRepairs = settings.repair && !ctx.global.dryRun;
  if (applyRepairs) {
    await ctx.confirm(
      `repair idempotency findings under "${settings.schema.prefix}" in Redis ${settings.primary.display} (compare-and-delete orphan and stuck keys, set policy TTLs, SET NX missing keys of ${settings.document.collection})`,
      [`opsctl idempotency check --prefix '${settings.schema.prefix}' --json   # audit first, read-only`],
    );
  }

  const counter = new CommandCounter();
  const redis = await connectRedis(settings, ctx.log);
  const db = await firestoreClient(projectId, settings.document.databaseId);
  const started = Date.now();
  let publisher: ((f: { key: string; redisKey: string }) => Promise<void>) | undefined;
  try {
    if (settings.republishTopic && applyRepairs) {
      const topic = (await pubsubClient(projectId)).topic(settings.republishTopic);
      publisher = async (f) => {
        try {
          await topic.publishMessage({ json: { event: "idempotency.reprocess", key: f.key, redisKey: f.redisKey, collection: settings.document.collection, detectedAt: new Date().toISOString() }, attributes: { reason: "orphanKey", key: f.key } });
        } catch (err) {
          throw remoteError(`publishing the reprocess event of ${f.redisKey} to ${settings.republishTopic}`, err, { runbook: "idempotency-inconsistency" });
        }
      };
    }
    ctx.log.info(`auditing ${redis.mode} Redis ${settings.primary.display} (${redis.sources.length} node${redis.sources.length === 1 ? "" : "s"}${settings.replica ? ", reads from the replica" : ""}) prefix "${settings.schema.prefix}" against ${settings.document.collection}, shard ${settings.shard.index}/${settings.shard.count}, max ${settings.maxRate} keys/s${resumed ? `, resuming ${settings.resumeFile}` : ""}`);
    const progress = ctx.progress("idempotency check");
    const final = await runAudit(
      {
        settings,
        redis,
        db,
        log: ctx.log,
        signal: ctx.signal,
        progress,
        counter,
        applyRepairs,
        republish: publisher,
        onNoKeys: async () => {
          if (booleanOption(options, "allowEmpty")) return;
          const size = await redis.primary.dbsize().catch(() => undefined);
          throw usageError(
            `prefix "${settings.schema.prefix}" matched no key in Redis ${settings.primary.display}${size !== undefined ? ` (the database holds ${size} other key${size === 1 ? "" : "s"})` : ""}`,
            "check --prefix (or idempotency.keyPrefix); if Redis really lost every key (flush, failover), re-run with --allow-empty so documents of the window get their keys back",
          );
        },
      },
      state,
    );
    progress.done();
    const t = final.tally;
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const remaining = totalFindings(t) - totalRepaired(t);
    const result: CheckResult = {
      scanned: t.scanned,
      duplicates: t.duplicates,
      documentsChecked: t.documentsChecked,
      windowDocuments: t.windowDocuments,
      findings: t.findings,
      repaired: t.repaired,
      repairSkipped: t.repairSkipped,
      remaining,
      samples: t.samples,
      republished: t.republished,
      durationMs: final.elapsedMs,
      phaseMs: final.phaseMs,
      load: { redisCommands: counter.redis, redisCommandsPerSecond: Math.round(counter.redis / seconds), firestoreReads: counter.firestore, firestoreReadsPerSecond: Math.round(counter.firestore / seconds), maxRate: settings.maxRate },
      redis: { mode: redis.mode, nodes: redis.sources.map((s) => s.id), readsFrom: settings.replica && redis.mode === "standalone" ? "replica" : "primary" },
      shard: `${settings.shard.index}/${settings.shard.count}`,
      repair: !settings.repair ? "off" : applyRepairs ? "applied" : "planned",
      resumed,
      checkpoint: settings.checkpointFile,
    };
    ctx.log.event("idempotency.summary", { scanned: t.scanned, documentsChecked: t.documentsChecked, findings: t.findings, repaired: t.repaired, remaining, durationMs: result.durationMs, redisCommandsPerSecond: result.load.redisCommandsPerSecond }, remaining > 0 ? "WARNING" : "INFO");
    return { data: result, human: humanSummary(result), exitCode: remaining > 0 ? ExitCode.findings : ExitCode.ok };
  } finally {
    await redis.close();
    await db.terminate().catch((err: unknown) => ctx.log.debug(`closing Firestore: ${errorMessage(err)}`));
  }
}

function humanSummary(r: CheckResult): string {
  const rows = FINDING_TYPES.map((f) => [f, r.findings[f], r.repair === "off" ? "-" : r.repaired[f], r.samples[f].slice(0, 3).join(" ") || "-"]);
  const head = `scanned ${r.scanned} keys and ${r.documentsChecked} documents in ${(r.durationMs / 1000).toFixed(1)} s (shard ${r.shard}, ${r.redis.mode}, reads from ${r.redis.readsFrom}; load ${r.load.redisCommandsPerSecond} Redis cmd/s, ${r.load.firestoreReadsPerSecond} Firestore reads/s)`;
  const tail =
    r.remaining === 0
      ? "✓ consistent"
      : r.repair === "off"
        ? `${r.remaining} finding(s): re-run with --repair (see runbooks/idempotency-inconsistency.md)`
        : r.repair === "planned"
          ? `${r.remaining} finding(s) would be repaired (dry run)`
          : `${r.remaining} finding(s) not repaired (the key changed meanwhile): re-run the check`;
  return [head, "", formatTable(["finding", "found", "repaired", "samples"], rows), "", tail].join("\n");
}
