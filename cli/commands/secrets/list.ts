import type { CommandInput, CommandResult } from "../../core/command.js";
import { LOG_EVENTS } from "../../core/log-event-names.js";
import { formatTable } from "../../core/output.js";
import { consumersOf, type SecretConsumer } from "../../secrets/consumers.js";
import { formatAge } from "../../secrets/durations.js";
import { ALIAS, currentVersion, pendingRotation } from "../../secrets/rotation-state.js";
import { openSecretsSession } from "../../secrets/session.js";

export interface SecretListing {
  secret: string;
  exists: boolean;
  provider: string;
  currentVersion?: number;
  previousVersion?: number;
  currentCreated?: string;
  ageDays?: number;
  rotationDays?: number;
  nextRotation?: string;
  overdue: boolean;
  pending?: { step: string; version?: number; startedAt?: string; by?: string };
  versions: { version: number; state: string; created?: string; scheduledDestroy?: string }[];
  consumers: SecretConsumer[];
  problems: string[];
}

export async function run({ ctx }: CommandInput): Promise<CommandResult<{ project: string; secrets: SecretListing[] }>> {
  const session = await openSecretsSession(ctx);
  const now = new Date();
  try {
    const out: SecretListing[] = [];
    for (const [id, cfg] of Object.entries(session.config.secrets)) {
      const consumers = consumersOf(session.config, id);
      const secret = await session.store.getSecret(id);
      if (!secret) {
        out.push({ secret: id, exists: false, provider: cfg.provider, overdue: false, versions: [], consumers, problems: ["missing in Secret Manager"] });
        continue;
      }
      const versions = await session.store.listVersions(id);
      const current = currentVersion(secret, versions);
      const pending = pendingRotation(secret);
      const problems: string[] = [];
      const ageMs = current?.createTime ? now.getTime() - current.createTime.getTime() : undefined;
      const next = cfg.rotationDays !== undefined && current?.createTime ? new Date(current.createTime.getTime() + cfg.rotationDays * 86_400_000) : undefined;
      const overdue = next !== undefined && next.getTime() <= now.getTime();
      if (!current) problems.push("no enabled version");
      if (overdue) problems.push(`rotation overdue since ${next?.toISOString()}`);
      // The "Secret rotation overdue" alert counts these events; the scheduled `secrets list` job
      // (Cloud Run Job secrets-audit) emits them once the grace period has passed too.
      const graceDays = session.config.monitoring.thresholds.rotationGraceDays;
      if (overdue && cfg.rotationDays !== undefined && ageMs !== undefined && ageMs > (cfg.rotationDays + graceDays) * 86_400_000) {
        ctx.log.event(LOG_EVENTS.secretRotationOverdue, { secret: id, rotationDays: cfg.rotationDays, graceDays, ageDays: Math.floor(ageMs / 86_400_000), ...(current ? { latestVersion: String(current.number) } : {}) });
      }
      if (pending) problems.push(`rotation pending at step ${pending.step} (re-run \`opsctl secrets rotate ${id}\` to finish it)`);
      for (const c of consumers) {
        if (c.version !== "latest" && !versions.some((v) => String(v.number) === c.version && v.state === "ENABLED")) problems.push(`${c.kind} ${c.name} pins v${c.version}, which is not enabled`);
      }
      out.push({
        secret: id,
        exists: true,
        provider: cfg.provider,
        currentVersion: current?.number,
        previousVersion: secret.aliases[ALIAS.previous],
        currentCreated: current?.createTime?.toISOString(),
        ageDays: ageMs === undefined ? undefined : Math.floor(ageMs / 86_400_000),
        rotationDays: cfg.rotationDays,
        nextRotation: next?.toISOString(),
        overdue,
        pending: pending ? { step: pending.step, version: pending.version, startedAt: pending.startedAt?.toISOString(), by: pending.by } : undefined,
        versions: versions.map((v) => ({ version: v.number, state: v.state, created: v.createTime?.toISOString(), scheduledDestroy: v.scheduledDestroyTime?.toISOString() })),
        consumers,
        problems,
      });
    }
    const failing = out.some((s) => s.problems.length > 0);
    const rows = out.map((s) => [
      s.secret,
      s.exists ? (s.currentVersion !== undefined ? `v${s.currentVersion}` : "none") : "MISSING",
      s.versions.map((v) => `${v.version}:${v.state[0]}${v.scheduledDestroy ? "*" : ""}`).join(" ") || "-",
      s.ageDays === undefined ? "-" : `${s.ageDays}d`,
      s.nextRotation ? (s.overdue ? `OVERDUE ${formatAge(now.getTime() - Date.parse(s.nextRotation))}` : s.nextRotation.slice(0, 10)) : "-",
      s.consumers.map((c) => `${c.name}@${c.version}`).join(",") || "-",
      s.problems.join("; ") || "ok",
    ]);
    const human = [
      formatTable(["secret", "current", "versions (E/D/X, *=destroy scheduled)", "age", "next rotation", "consumers", "status"], rows),
      failing ? "\nproblems found: see runbooks/secret-rotation.md" : "",
    ].join("");
    return { data: { project: session.projectId, secrets: out }, human, exitCode: failing ? 1 : 0 };
  } finally {
    await session.close();
  }
}
