import type { CommandInput, CommandResult } from "../../core/command.js";
import { formatTable } from "../../core/output.js";
import { type PruneAction, planPrune } from "../../secrets/prune-plan.js";
import { openSecretsSession, secretConfig } from "../../secrets/session.js";

export interface PruneResult {
  dryRun: boolean;
  actions: (PruneAction & { secret: string; destroyTtlDays: number; scheduledDestroy?: string })[];
  skipped: { secret: string; reason: string }[];
}

export async function run({ args, ctx }: CommandInput): Promise<CommandResult<PruneResult>> {
  const config = await ctx.loadConfig();
  const ids = args[0] ? [args[0]] : Object.keys(config.secrets);
  for (const id of ids) secretConfig(config, id);
  const session = await openSecretsSession(ctx);
  const now = new Date();
  try {
    const { store } = session;
    const result: PruneResult = { dryRun: ctx.global.dryRun, actions: [], skipped: [] };
    for (const id of ids) {
      const cfg = secretConfig(config, id);
      const secret = await store.getSecret(id);
      if (!secret) {
        result.skipped.push({ secret: id, reason: "missing in Secret Manager" });
        continue;
      }
      const versions = await store.listVersions(id);
      for (const a of planPrune(secret, versions, { graceMs: cfg.graceHours * 3_600_000, retainVersions: cfg.retainVersions }, now)) {
        result.actions.push({ ...a, secret: id, destroyTtlDays: secret.versionDestroyTtlSeconds / 86_400 });
      }
      if (secret.versionDestroyTtlSeconds === 0 && cfg.versionDestroyTtlDays > 0) {
        ctx.log.warn(`secret ${id} has no version_destroy_ttl in Secret Manager (config wants ${cfg.versionDestroyTtlDays}d): destruction would be immediate and irreversible`);
      }
    }
    const table = formatTable(
      ["secret", "version", "action", "reason"],
      result.actions.map((a) => [a.secret, a.version, a.action === "destroy" && a.destroyTtlDays > 0 ? `destroy (scheduled +${a.destroyTtlDays}d)` : a.action, a.reason]),
    );
    if (result.actions.length === 0) return { data: result, human: "nothing to prune" };
    if (ctx.global.dryRun) return { data: result, human: `dry run: nothing changed\n${table}` };
    const immediate = result.actions.filter((a) => a.action === "destroy" && a.destroyTtlDays === 0).length;
    await ctx.confirm(
      `prune ${result.actions.length} version(s) in ${config.environment}: ${result.actions.filter((a) => a.action === "disable").length} disable, ${result.actions.filter((a) => a.action === "destroy").length} destroy${immediate ? ` (${immediate} IMMEDIATE and irreversible: no version_destroy_ttl)` : ""}`,
      result.actions.map((a) => `gcloud secrets versions ${a.action} ${a.version} --secret ${a.secret} --project ${session.projectId}`),
    );
    const audit = await session.audit();
    for (const a of result.actions) {
      await store.setState(a.secret, a.version, a.action);
      await audit.record({ secret: a.secret, version: a.version, step: a.action, outcome: "ok", detail: a.reason });
      ctx.log.event(`secret.${a.action}`, { secret: a.secret, version: a.version, reason: a.reason });
    }
    // read back what Secret Manager scheduled
    for (const id of new Set(result.actions.filter((a) => a.action === "destroy").map((a) => a.secret))) {
      const versions = await store.listVersions(id);
      for (const a of result.actions.filter((x) => x.secret === id && x.action === "destroy")) {
        a.scheduledDestroy = versions.find((v) => v.number === a.version)?.scheduledDestroyTime?.toISOString();
      }
    }
    return { data: result, human: `pruned ${result.actions.length} version(s)\n${table}` };
  } finally {
    await session.close();
  }
}
