import { booleanOption, type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { backlogFromMonitoring } from "./backlog-metrics.js";
import { errorMessage, remoteError } from "../../core/errors.js";
import { formatTable } from "../../core/output.js";
import type { DlqTarget } from "./dlq-targets.js";
import { gapicTransport } from "./dlq-transport.js";
import { peekQueue, type QueuePeek } from "./peek-queue.js";
import { positiveInt, resolveTargets } from "./resolve-targets.js";

export interface InspectedQueue extends DlqTarget, Partial<QueuePeek> {
  status: "empty" | "messages" | "no-subscription";
  /** where the backlog figure comes from */
  countedBy?: "monitoring" | "pull";
}

export interface InspectResult {
  project: string;
  queues: InspectedQueue[];
}

function age(seconds: number | undefined): string {
  if (seconds === undefined) return "-";
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<InspectResult>> {
  const { projectId, targets } = await resolveTargets({ options, ctx }, false);
  const sample = positiveInt(options, "sample", "--sample", 1000) ?? 5;
  const countLimit = positiveInt(options, "countLimit", "--count-limit") ?? 10_000;
  const showData = booleanOption(options, "showData");
  const requested = stringOption(options, "countMethod") ?? "auto";
  // The emulator has no Cloud Monitoring behind it.
  const method = requested === "auto" ? (process.env.PUBSUB_EMULATOR_HOST ? "pull" : "monitoring-or-pull") : requested;
  const transport = await gapicTransport(projectId);
  const queues: InspectedQueue[] = [];
  try {
    for (const target of targets) {
      const what = `inspecting dead-letter subscription ${target.dlqSubscription} (project ${projectId})`;
      try {
        if (!(await transport.subscriptionExists(target.dlqSubscription))) {
          queues.push({ ...target, status: "no-subscription" });
          continue;
        }
        let metrics: Awaited<ReturnType<typeof backlogFromMonitoring>>;
        if (method !== "pull") {
          try {
            metrics = await backlogFromMonitoring(projectId, target.dlqSubscription);
            if (metrics === undefined) ctx.log.warn(`no Cloud Monitoring data for ${target.dlqSubscription} in the last 10 minutes: counting by pull`);
          } catch (err) {
            if (method === "monitoring") throw err;
            ctx.log.warn(`Cloud Monitoring unavailable (${errorMessage(err)}): counting ${target.dlqSubscription} by pull`);
          }
        }
        if (metrics) {
          // The metric gives the numbers; pull only the sample.
          const peek = metrics.backlog > 0 ? await peekQueue(transport, target.dlqSubscription, { sample, countLimit: sample, showData, pullTimeoutMs: 3000, signal: ctx.signal }) : { sample: [] };
          queues.push({ ...target, backlog: metrics.backlog, atLeast: false, ...(metrics.oldestAgeSeconds !== undefined ? { oldestAgeSeconds: metrics.oldestAgeSeconds, oldestPublishTime: new Date(Date.now() - metrics.oldestAgeSeconds * 1000).toISOString() } : {}), sample: peek.sample, countedBy: "monitoring", status: metrics.backlog > 0 ? "messages" : "empty" });
          continue;
        }
        const peek = await peekQueue(transport, target.dlqSubscription, { sample, countLimit, showData, pullTimeoutMs: 3000, signal: ctx.signal });
        queues.push({ ...target, ...peek, countedBy: "pull", status: peek.backlog > 0 ? "messages" : "empty" });
      } catch (err) {
        throw remoteError(what, err, { runbook: "dlq-growing" });
      }
    }
  } finally {
    await transport.close();
  }
  const table = formatTable(
    ["TOPIC", "DLQ SUBSCRIPTION", "STATUS", "BACKLOG", "OLDEST"],
    queues.map((q) => [q.topic, q.dlqSubscription, q.status, q.backlog === undefined ? "-" : `${q.atLeast ? ">=" : ""}${q.backlog}`, age(q.oldestAgeSeconds)]),
  );
  const lines = [table];
  for (const q of queues.filter((x) => (x.sample ?? []).length > 0)) {
    lines.push("", `${q.dlqSubscription}: sample`);
    for (const m of q.sample ?? []) {
      lines.push(`  ${m.messageId}  published ${m.publishTime ?? "?"}  attempts ${m.deliveryAttempt ?? "?"}  ${m.size} B  ${JSON.stringify(m.attributes)}`);
      if (m.data !== undefined) lines.push(`    data: ${m.data}`);
    }
  }
  const missing = queues.filter((q) => q.status === "no-subscription");
  if (missing.length > 0) lines.push("", `${missing.length} dead-letter topic(s) without a subscription: messages sent there are dropped (runbooks/dlq-growing.md)`);
  const problems = queues.some((q) => q.status !== "empty");
  if (problems && missing.length === 0) lines.push("", "replay with: opsctl pubsub dlq replay --topic TOPIC --dry-run   (then without --dry-run)");
  return { data: { project: projectId, queues }, human: lines.join("\n"), exitCode: problems ? 1 : 0 };
}
