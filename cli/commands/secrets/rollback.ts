import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { OpsError, usageError } from "../../core/errors.js";
import { ExitCode } from "../../core/exit-codes.js";
import { formatTable } from "../../core/output.js";
import { createRunApi, type RunApi } from "../../cloud-run/run-api.js";
import { CloudRunConsumers, consumingServices } from "../../secrets/cloud-run-consumers.js";
import { type ConsumerAction, consumerActions, consumersOf, type RollOutcome, referenceFor } from "../../secrets/consumers.js";
import { ALIAS, ANNOTATION, currentVersion, pendingRotation, previousVersion, withoutAlias } from "../../secrets/rotation-state.js";
import { openSecretsSession, secretConfig } from "../../secrets/session.js";

export interface RollbackResult {
  secret: string;
  dryRun: boolean;
  from: number;
  to: number;
  /** the new version holding the restored value, so `latest` reads it */
  latestVersion?: number;
  reenabled: boolean;
  consumers: ConsumerAction[];
  /** services rolled onto a new revision reading the restored value */
  rolled: RollOutcome[];
}

export async function run({ args, options, ctx }: CommandInput): Promise<CommandResult<RollbackResult>> {
  const id = args[0] ?? "";
  const config = await ctx.loadConfig();
  secretConfig(config, id);
  const toText = stringOption(options, "to");
  if (toText !== undefined && !/^\d+$/.test(toText)) throw usageError(`--to ${JSON.stringify(toText)} is not a version number`);
  const session = await openSecretsSession(ctx);
  let api: Promise<RunApi> | undefined;
  try {
    const { store } = session;
    const secret = await store.requireSecret(id);
    const pending = pendingRotation(secret);
    if (pending) {
      throw usageError(`a rotation of ${id} is pending at step ${pending.step} (v${pending.version ?? "?"})`, `finish it (re-run \`opsctl secrets rotate ${id}\`) or disable v${pending.version ?? "?"} first; a rollback would race it`);
    }
    const versions = await store.listVersions(id);
    const bad = currentVersion(secret, versions);
    if (!bad) throw new OpsError(`${id} has no current version to roll back from`, { code: "nothing_to_roll_back", exitCode: ExitCode.usage, runbook: "secret-leaked" });
    const target = toText !== undefined ? versions.find((v) => v.number === Number(toText)) : previousVersion(secret, versions, bad);
    if (!target || target.number === bad.number) {
      throw new OpsError(`no version of ${id} earlier than v${bad.number} to roll back to`, { code: "nothing_to_roll_back", exitCode: ExitCode.usage, hint: "rotate to a new value instead: opsctl secrets rotate ...", runbook: "secret-leaked" });
    }
    if (target.state === "DESTROYED") throw new OpsError(`${id} v${target.number} is destroyed; its value is gone`, { code: "version_destroyed", exitCode: ExitCode.usage, hint: "rotate to a new value instead", runbook: "secret-leaked" });
    const consumers = consumersOf(config, id);
    const rollTargets = consumingServices(consumers).filter((s) => s.version === "latest");
    const roll = options.rollConsumers !== false && rollTargets.length > 0;
    const latestIsBad = versions[0]?.number === bad.number;
    const plan: RollbackResult = { secret: id, dryRun: ctx.global.dryRun, from: bad.number, to: target.number, reenabled: target.state !== "ENABLED", consumers: consumerActions(consumers, target.number), rolled: [] };
    if (ctx.global.dryRun) {
      return {
        data: plan,
        human: `dry run: would ${plan.reenabled ? `re-enable v${target.number}, ` : ""}${latestIsBad ? `copy v${target.number} forward as a new version (latest), ` : ""}point current at it, disable v${bad.number}${roll ? ` and roll ${rollTargets.map((s) => s.service).join(", ")} onto a new revision reading it` : ""}`,
      };
    }
    await ctx.confirm(`roll ${id} back from v${bad.number} to v${target.number} in ${config.environment} and disable v${bad.number}`, [
      `gcloud secrets versions enable ${target.number} --secret ${id} --project ${session.projectId}`,
      `gcloud secrets versions disable ${bad.number} --secret ${id} --project ${session.projectId}`,
    ]);
    const audit = await session.audit();
    if (target.state !== "ENABLED") {
      await store.setState(id, target.number, "enable");
      await audit.record({ secret: id, version: target.number, step: "enable", outcome: "ok", detail: target.scheduledDestroyTime ? "re-enabled; scheduled destruction cancelled" : "re-enabled" });
    }
    let latestVersion: number | undefined;
    if (latestIsBad) {
      // `latest` is the newest version whatever its state: copy the good value forward so it reads it
      const value = await store.access(id, target.number);
      latestVersion = (await store.addVersion(id, value)).number;
      await audit.record({ secret: id, version: latestVersion, step: "restore-latest", outcome: "ok", detail: `copied v${target.number} to v${latestVersion}` });
    }
    const pointAt = latestVersion ?? target.number;
    await store.updateMetadata(id, (s) => {
      const annotations: Record<string, string> = { ...s.annotations, [ANNOTATION.rolledBackFrom]: String(bad.number) };
      delete annotations[ANNOTATION.previousDisableAfter];
      const aliases = withoutAlias(s.aliases, ALIAS.previous, ALIAS.pending);
      aliases[ALIAS.current] = pointAt;
      return { annotations, aliases };
    });
    await store.setState(id, bad.number, "disable");
    await audit.record({ secret: id, version: bad.number, step: "disable", outcome: "ok", detail: "rolled back from" });
    await audit.record({ secret: id, version: target.number, step: "rollback", outcome: "ok", detail: `v${bad.number} → v${target.number}${latestVersion ? ` (latest = v${latestVersion})` : ""}` });
    ctx.log.event("secret.rollback", { secret: id, from: bad.number, to: target.number, latest: latestVersion });
    // running instances still hold the bad value: roll the services that read latest, like finish does
    const rolled: RollOutcome[] = [];
    if (roll) {
      const cloudRun = new CloudRunConsumers(() => (api ??= createRunApi()), config, session.projectId, ctx.region(config));
      const reads = referenceFor(pointAt, (await store.listVersions(id))[0]?.number);
      for (const service of rollTargets) {
        let outcome: RollOutcome;
        try {
          outcome = await cloudRun.roll(service, id, "back", pointAt, reads, ctx.signal);
        } catch (err) {
          await audit.record({ secret: id, version: pointAt, step: "roll", outcome: "failed", detail: `${service.service}: ${err instanceof Error ? err.message : String(err)}` });
          if (!(err instanceof OpsError) || err.code === "interrupted") throw err;
          // the secret itself is rolled back: a second rollback would go back to the bad version
          throw new OpsError(`${id} is rolled back to v${target.number} (latest = v${pointAt}), but rolling ${service.service} failed: ${err.message}`, {
            code: err.code,
            exitCode: err.exitCode,
            hint: `do not re-run the rollback (it would return to v${bad.number}); roll ${service.service} with \`opsctl deploy --service ${service.service} --image <its current image>\` once it is fixed`,
            runbook: "secret-rotation",
          });
        }
        rolled.push(outcome);
        await audit.record({ secret: id, version: pointAt, step: "roll", outcome: "ok", detail: outcome.detail });
        ctx.log.event("secret.roll", { secret: id, version: pointAt, service: outcome.service, revision: outcome.revision, outcome: outcome.outcome });
      }
    } else if (rollTargets.length > 0) {
      ctx.log.warn(`consumers not rolled (--no-roll-consumers): ${rollTargets.map((s) => s.service).join(", ")} keep the bad value until their instances restart`);
    }
    const rolledServices = new Set(rolled.map((r) => r.service));
    const result: RollbackResult = {
      ...plan,
      latestVersion,
      rolled,
      consumers: consumers.map((c) => (c.version === "latest" ? consumerActions([c], pointAt, rolledServices)[0] : consumerActions([c], target.number)[0])).filter((c): c is ConsumerAction => c !== undefined),
    };
    const human = [
      `✓ ${id} rolled back: v${bad.number} (disabled) → v${target.number}${latestVersion ? `, latest = v${latestVersion}` : ""}`,
      ...(rolled.length ? ["services rolled onto a new revision:", formatTable(["service", "revision", "reads", "outcome"], rolled.map((r) => [r.service, r.revision, r.reads, r.outcome]))] : []),
      result.consumers.length ? formatTable(["kind", "name", "env", "reads", "action"], result.consumers.map((c) => [c.kind, c.name, c.envVar, c.version, c.note])) : "no consumers in the environment document",
    ].join("\n");
    return { data: result, human };
  } finally {
    await session.close();
    if (api) await (await api.catch(() => undefined))?.close();
  }
}
