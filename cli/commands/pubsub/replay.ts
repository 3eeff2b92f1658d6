import { type CommandInput, type CommandResult, stringListOption, stringOption } from "../../core/command.js";
import { ExitCode } from "../../core/exit-codes.js";
import { InterruptedError, OpsError, remoteError } from "../../core/errors.js";
import { gapicTransport } from "./dlq-transport.js";
import { parseFilters } from "./message-filter.js";
import { Pacer, parseRate } from "./rate-limit.js";
import { REPLAYED_AT_ATTRIBUTE, ReplayStoppedError, type ReplayStats, replayDeadLetters } from "./replay-loop.js";
import { positiveInt, resolveTargets } from "./resolve-targets.js";

export interface ReplayResult extends Omit<ReplayStats, "activeMs"> {
  project: string;
  dlqSubscription: string;
  topic: string;
  dryRun: boolean;
  filter: string[];
  max?: number;
  ratePerSecond?: number;
  durationMs: number;
  /** messages per second while replaying (first pull to last acknowledgement) */
  throughput: number;
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<ReplayResult>> {
  const { projectId, targets } = await resolveTargets({ options, ctx }, true);
  const target = targets[0];
  if (!target) throw new OpsError("no dead-letter queue found for that topic", { code: "dlq_not_found", exitCode: ExitCode.usage, runbook: "dlq-growing" });
  const filterTexts = stringListOption(options, "filter");
  const filters = parseFilters(filterTexts);
  const max = positiveInt(options, "max", "--max");
  const rateText = stringOption(options, "rate");
  const rate = rateText === undefined ? undefined : parseRate(rateText);
  const batchFlag = positiveInt(options, "batch", "--batch", 1000) ?? 1000;
  const batch = rate === undefined ? batchFlag : Math.max(1, Math.min(batchFlag, Math.ceil(rate)));
  const concurrency = positiveInt(options, "concurrency", "--concurrency", 64) ?? 8;
  const pullTimeoutMs = positiveInt(options, "pullTimeout", "--pull-timeout") ?? 3000;
  const dryRun = ctx.global.dryRun;

  const transport = await gapicTransport(projectId);
  try {
    const exists = await transport.subscriptionExists(target.dlqSubscription).catch((err: unknown) => {
      throw remoteError(`looking up dead-letter subscription ${target.dlqSubscription} (project ${projectId})`, err, { runbook: "dlq-growing" });
    });
    if (!exists) {
      throw new OpsError(`dead-letter subscription ${target.dlqSubscription} does not exist in ${projectId}`, {
        code: "dlq_subscription_missing",
        exitCode: ExitCode.usage,
        hint: `the data stack provisions ${target.dlqTopic}-sub beside every DLQ; name another one with --dlq-subscription`,
        runbook: "dlq-growing",
      });
    }
    const scope = `${max === undefined ? "every" : `up to ${max}`} message${filters.length ? ` matching ${filterTexts.join(" and ")}` : ""} from ${target.dlqSubscription} to topic ${target.topic}`;
    if (!dryRun) {
      await ctx.confirm(`replay ${scope} (at-least-once: consumers must be idempotent)`, [
        `opsctl pubsub dlq replay --topic ${target.topic} --dlq-subscription ${target.dlqSubscription}${max ? ` --max ${max}` : ""} --dry-run`,
      ]);
    }
    ctx.log.info(`${dryRun ? "dry run: counting" : "replaying"} ${scope}`);
    const progress = ctx.progress(dryRun ? "would replay" : "replayed", max);
    const started = Date.now();
    let stats: ReplayStats;
    try {
      stats = await replayDeadLetters(transport, {
        dlqSubscription: target.dlqSubscription,
        topic: target.topic,
        filters,
        max,
        pacer: rate === undefined ? undefined : new Pacer(rate),
        batch,
        concurrency,
        pullTimeoutMs,
        dryRun,
        signal: ctx.signal,
        onProgress: (s) => progress.update(s.replayed, s.skipped ? `(${s.skipped} filtered out)` : undefined),
      });
    } catch (err) {
      if (err instanceof ReplayStoppedError) {
        throw remoteError(`replaying ${target.dlqSubscription} → ${target.topic} (${err.stats.replayed} replayed and acknowledged before the failure; the rest is still in the DLQ)`, err.cause, { runbook: "dlq-growing", code: "dlq_replay_failed" });
      }
      throw err;
    }
    progress.done(`${stats.replayed}${dryRun ? " would be replayed" : " replayed"}`);
    if (ctx.signal.aborted) throw new InterruptedError(`interrupted after replaying ${stats.replayed} messages; the rest is still in ${target.dlqSubscription} (re-run to continue)`);
    const { activeMs, ...rest } = stats;
    const result: ReplayResult = {
      ...rest,
      project: projectId,
      dlqSubscription: target.dlqSubscription,
      topic: target.topic,
      dryRun,
      filter: filterTexts,
      ...(max !== undefined ? { max } : {}),
      ...(rate !== undefined ? { ratePerSecond: rate } : {}),
      durationMs: Date.now() - started,
      throughput: activeMs > 0 ? Math.round((stats.replayed / activeMs) * 1000) : 0,
    };
    const lines = [
      dryRun
        ? `dry run: ${stats.replayed} message(s) would be replayed from ${target.dlqSubscription} to ${target.topic}; nothing was published or acknowledged`
        : `replayed ${stats.replayed} message(s) from ${target.dlqSubscription} to ${target.topic} (attribute ${REPLAYED_AT_ATTRIBUTE} added), ${result.throughput}/s`,
    ];
    if (stats.skipped) lines.push(`${stats.skipped} message(s) did not match the filter and stay in the queue`);
    for (const s of stats.samples) lines.push(`  ${s.messageId}  ${s.size} B  ${JSON.stringify(s.attributes)}`);
    return { data: result, human: lines.join("\n") };
  } finally {
    await transport.close();
  }
}
