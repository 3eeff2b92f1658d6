import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { errorMessage, usageError } from "../../core/errors.js";
import { LOG_EVENTS } from "../../core/log-event-names.js";
import { listDeploys, recordDeploy, rollbackCandidates, whoAmI } from "../../cloud-run/deploy-history.js";
import { checkServiceHealth, type HealthReport } from "../../cloud-run/health-check.js";
import type { SplitEntry } from "../../cloud-run/model.js";
import { requireService, serviceFullName, serviceId } from "../../cloud-run/names.js";
import { idTokenAuth } from "../../cloud-run/probe.js";
import { createRunApi } from "../../cloud-run/run-api.js";
import { applyTraffic } from "../../cloud-run/traffic-mutation.js";
import { formatSplit, pinnedTraffic, servedSplit } from "../../cloud-run/traffic-split.js";
import { renderHealth } from "../health/render.js";
import { chooseTarget, type RollbackTarget } from "./choose-target.js";

interface RollbackData {
  service: string;
  target: RollbackTarget;
  before: SplitEntry[];
  after: SplitEntry[];
  changed: boolean;
  dryRun: boolean;
  health?: HealthReport;
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<RollbackData>> {
  const config = await ctx.loadConfig();
  const key = requireService(config, stringOption(options, "service"));
  const svc = config.services[key];
  if (!svc) throw usageError(`unknown service "${key}"`);
  const project = ctx.projectId(config);
  const name = serviceFullName(project, ctx.region(config), serviceId(config, key));
  const api = await createRunApi();
  try {
    const { view } = await api.getService(name);
    const before = servedSplit(view);
    const to = stringOption(options, "to");
    let history: string[] = [];
    if (!to) {
      try {
        history = rollbackCandidates(await listDeploys(config, project, key, 50));
      } catch (err) {
        ctx.log.warn(`deploy history unavailable (${errorMessage(err)}); choosing from the service's revisions`);
      }
    }
    const target = await chooseTarget(api, name, before, to, history);
    // Keep other tags reachable (0%), except the deploy's candidate tag: that revision just failed.
    const tags = before.filter((s) => s.tag && s.tag !== svc.deploy.candidateTag).map((s) => ({ revision: s.revision, percent: 0, tag: s.tag }));
    const desired: SplitEntry[] = [{ revision: target.revision, percent: 100 }, ...tags];
    const alreadyThere = before.filter((s) => s.percent > 0).every((s) => s.revision === target.revision);
    const base: RollbackData = { service: name, target, before, after: before, changed: false, dryRun: ctx.global.dryRun };
    if (ctx.global.dryRun) return { data: { ...base, after: desired }, human: `dry run: nothing changed\nwould route 100% of ${name} to ${target.revision} (${target.source}); serving now: ${formatSplit(before)}` };

    let after = before;
    if (!alreadyThere) {
      await ctx.confirm(`route 100% of ${name} to ${target.revision} (serving now: ${formatSplit(before)})`, [`gcloud run services update-traffic ${serviceId(config, key)} --to-revisions ${target.revision}=100 --region ${ctx.region(config)} --project ${project}`]);
      const settled = await applyTraffic({ api, name, generation: view.generation }, pinnedTraffic(desired), { what: `routing 100% to ${target.revision}` });
      after = servedSplit(settled);
      const from = [...before].sort((a, b) => b.percent - a.percent)[0]?.revision;
      ctx.log.event(LOG_EVENTS.deployRollback, { service: key, ...(from ? { fromRevision: from } : {}), toRevision: target.revision, reason: `opsctl rollback (${target.source})` });
    } else {
      ctx.log.info(`${target.revision} already serves 100% of ${name}; nothing to change`);
    }
    const health = await checkServiceHealth(api, key, name, svc, idTokenAuth(svc.public), ctx.signal);
    const outcome = !alreadyThere ? "succeeded" : "unchanged";
    try {
      await recordDeploy(config, project, { action: "rollback", environment: config.environment, service: key, at: new Date().toISOString(), who: whoAmI(), revision: target.revision, outcome, ...(health.healthy ? {} : { reason: "unhealthy after rollback" }), before, after });
    } catch (err) {
      ctx.log.warn(`could not record the rollback in Firestore ${config.audit.collection}: ${errorMessage(err)}`);
    }
    const data: RollbackData = { ...base, after, changed: !alreadyThere, health };
    const head = alreadyThere ? `${target.revision} already serves 100% of ${name}: nothing changed` : `rolled back ${name} to ${target.revision} (${target.source}); serving ${formatSplit(after)}`;
    return { data, human: `${head}\n${renderHealth([health])}`, exitCode: health.healthy ? 0 : 1 };
  } finally {
    await api.close();
  }
}
