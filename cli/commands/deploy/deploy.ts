import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { LOG_EVENTS } from "../../core/log-event-names.js";
import { InterruptedError, isOpsError, errorMessage, usageError } from "../../core/errors.js";
import { type CanaryPlan, formatDuration, planCanary } from "../../cloud-run/canary-plan.js";
import { type CanaryResult, runCanary } from "../../cloud-run/canary.js";
import { recordDeploy, whoAmI } from "../../cloud-run/deploy-history.js";
import { requireService, serviceFullName, serviceId } from "../../cloud-run/names.js";
import { idTokenAuth } from "../../cloud-run/probe.js";
import { createRunApi } from "../../cloud-run/run-api.js";
import { formatSplit, servedSplit } from "../../cloud-run/traffic-split.js";
import type { SplitEntry } from "../../cloud-run/model.js";

interface DeployData {
  dryRun: boolean;
  plan: CanaryPlan;
  service: string;
  current?: SplitEntry[];
  result?: CanaryResult;
  historyId?: string;
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<DeployData>> {
  const config = await ctx.loadConfig();
  const key = requireService(config, stringOption(options, "service"));
  const image = stringOption(options, "image");
  if (!image) throw usageError("--image is required", "e.g. --image REGION-docker.pkg.dev/PROJECT/apps/webhook:SHA");
  const svc = config.services[key];
  if (!svc) throw usageError(`unknown service "${key}"`);
  const probesPerBake = Number(stringOption(options, "probesPerBake") ?? "10");
  if (!Number.isInteger(probesPerBake) || probesPerBake < 1) throw usageError("--probes-per-bake must be a positive integer");
  const plan = planCanary(svc, { image, steps: stringOption(options, "steps"), bake: stringOption(options, "bake"), readyTimeout: stringOption(options, "readyTimeout"), tag: stringOption(options, "tag"), probesPerBake });
  const project = ctx.projectId(config);
  const name = serviceFullName(project, ctx.region(config), serviceId(config, key));
  const h = svc.health;
  const check = { path: h.path, expectStatus: h.expectStatus, attempts: h.attempts, timeoutMs: h.timeoutMs, ...(h.jsonField ? { jsonField: h.jsonField } : {}) };

  const api = await createRunApi();
  try {
    const current = servedSplit((await api.getService(name)).view);
    const planText = describePlan(name, plan, current);
    if (ctx.global.dryRun) return { data: { dryRun: true, plan, service: name, current }, human: `dry run: nothing changed\n${planText}` };
    ctx.log.info(planText);
    await ctx.confirm(`deploy ${image} to ${name} (${plan.steps.map((s) => `${s.percent}%`).join(" → ")})`, [`gcloud run deploy ${serviceId(config, key)} --image ${image} --no-traffic --tag ${plan.tag} --region ${ctx.region(config)} --project ${project}`]);

    const record = async (outcome: "succeeded" | "rolled-back" | "interrupted" | "failed", fields: { revision: string; reason?: string; after: SplitEntry[] }) => {
      try {
        return await recordDeploy(config, project, { action: "deploy", environment: config.environment, service: key, at: new Date().toISOString(), who: whoAmI(), image, outcome, before: current, ...fields });
      } catch (err) {
        ctx.log.warn(`could not record the deploy in Firestore ${config.audit.collection}: ${errorMessage(err)}`);
        return undefined;
      }
    };

    let result: CanaryResult;
    try {
      result = await runCanary({ api, log: ctx.log, auth: idTokenAuth(svc.public), signal: ctx.signal }, name, plan, check);
    } catch (err) {
      if (err instanceof InterruptedError || isOpsError(err)) {
        ctx.log.event(LOG_EVENTS.deployFailed, { service: key, reason: err.message });
        await record(err instanceof InterruptedError ? "interrupted" : "failed", { revision: "", reason: err.message, after: current });
      }
      throw err;
    }
    if (result.outcome === "succeeded") ctx.log.event(LOG_EVENTS.deployCompleted, { service: key, revision: result.candidate, image });
    else {
      const back = [...result.final].sort((a, b) => b.percent - a.percent)[0]?.revision ?? "";
      ctx.log.event(LOG_EVENTS.deployRollback, { service: key, fromRevision: result.candidate, toRevision: back || "previous split", reason: `${result.failedGate}: ${result.reason}` });
    }
    const historyId = await record(result.outcome, { revision: result.candidate, ...(result.reason ? { reason: `${result.failedGate}: ${result.reason}` } : {}), after: result.final });
    const data: DeployData = { dryRun: false, plan, service: name, current, result, ...(historyId ? { historyId } : {}) };
    return { data, human: describeResult(result), exitCode: result.outcome === "succeeded" ? 0 : 1 };
  } finally {
    await api.close();
  }
}

function describePlan(name: string, plan: CanaryPlan, current: SplitEntry[]): string {
  return [
    `plan for ${name}:`,
    `  serving now: ${formatSplit(current)}`,
    `  1. new revision from ${plan.image} at 0% with tag ${plan.tag}; wait up to ${formatDuration(plan.readyTimeoutMs)} for Ready; probe the tag URL`,
    ...plan.steps.map((s, i) => `  ${i + 2}. ${s.percent}% to the candidate${s.bakeMs > 0 ? `, bake ${formatDuration(s.bakeMs)} (${plan.probesPerBake} probes; gates: error rate <= ${plan.maxErrorRate}, p95 <= ${plan.maxP95Ms} ms)` : ""}`),
    "  any failed gate or Ctrl-C: restore the split above exactly",
  ].join("\n");
}

function describeResult(r: CanaryResult): string {
  if (r.outcome === "succeeded") return `deployed ${r.image} as ${r.candidate}: serving ${formatSplit(r.final)}`;
  return [
    `ROLLED BACK: ${r.candidate} failed gate ${r.failedGate}: ${r.reason}`,
    `  traffic restored to ${formatSplit(r.final)}${r.restoreMs !== undefined ? ` in ${r.restoreMs} ms` : ""}`,
    "  see runbooks/deploy-failed.md",
  ].join("\n");
}
