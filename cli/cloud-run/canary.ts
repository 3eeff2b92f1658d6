/**
 * The health-gated canary (Argo Rollouts / Flagger style): candidate at 0% behind a tag, Ready,
 * probed; then traffic in steps with a bake between them, probing the candidate against the error
 * rate and p95 latency gates. Any failed gate, or Ctrl-C, puts back exactly the split that was
 * served before.
 */
import { InterruptedError, OpsError } from "../core/errors.js";
import type { Logger } from "../core/output.js";
import { type CanaryPlan, formatDuration } from "./canary-plan.js";
import { type Candidate, createCandidate, GateFailure, probeCandidate, waitCandidateReady } from "./candidate.js";
import type { SplitEntry } from "./model.js";
import { type AuthHeaders, type ProbeCheck, type ProbeResult, type ProbeSummary, probeOnce, probeUrl, probeWithAttempts, summarize } from "./probe.js";
import type { RunApi } from "./run-api.js";
import { applyTraffic, restoreTraffic } from "./traffic-mutation.js";
import { canarySplit, finalTraffic, pinnedTraffic, servedSplit } from "./traffic-split.js";
import { abortReason, sleep } from "./wait.js";

export interface StepReport {
  percent: number;
  split: SplitEntry[];
  probes?: ProbeSummary;
}

export interface CanaryResult {
  outcome: "succeeded" | "rolled-back";
  service: string;
  image: string;
  candidate: string;
  baseline: SplitEntry[];
  /** what the service serves at the end */
  final: SplitEntry[];
  preflight?: ProbeSummary;
  steps: StepReport[];
  /** the failed gate, when rolled back */
  failedGate?: string;
  reason?: string;
  /** ms from the failed gate to the previous split served again */
  restoreMs?: number;
}

export interface CanaryDeps {
  api: RunApi;
  log: Logger;
  auth: AuthHeaders;
  signal?: AbortSignal;
}

/** Runs the plan. Resolves with the outcome; throws InterruptedError after restoring on Ctrl-C. */
export async function runCanary(deps: CanaryDeps, serviceName: string, plan: CanaryPlan, check: ProbeCheck): Promise<CanaryResult> {
  const { api, log, signal } = deps;
  const candidate = await createCandidate(api, serviceName, {
    tag: plan.tag,
    readyTimeoutMs: plan.readyTimeoutMs,
    signal,
    mutateTemplate: (template) => {
      const first = template.containers?.[0];
      if (!first) throw new OpsError(`${serviceName} has no container to update`, { code: "no_container", exitCode: 2 });
      first.image = plan.image;
    },
  });
  log.info(`candidate ${candidate.revision} created at 0% (tag ${plan.tag}); serving before: ${candidate.baseline.map((s) => `${s.revision} ${s.percent}%`).join(", ")}`);
  const result: CanaryResult = { outcome: "succeeded", service: serviceName, image: plan.image, candidate: candidate.revision, baseline: candidate.baseline, final: candidate.baseline, steps: [] };
  try {
    const tagUri = await waitCandidateReady(candidate, plan.tag, plan.readyTimeoutMs, signal);
    log.info(`candidate ${candidate.revision} is Ready at ${tagUri}`);
    result.preflight = await probeCandidate(tagUri, check, deps.auth, signal);
    for (const step of plan.steps) {
      if (step.percent < 100) {
        const view = await applyTraffic(candidate.handle, pinnedTraffic(canarySplit(candidate.baseline, candidate.revision, step.percent, plan.tag)), { signal, what: `moving ${step.percent}% to ${candidate.revision}` });
        const report: StepReport = { percent: step.percent, split: servedSplit(view) };
        result.steps.push(report);
        log.info(`${step.percent}% on ${candidate.revision}; baking ${formatDuration(step.bakeMs)}`);
        report.probes = await bake(tagUri, check, plan, step.bakeMs, deps);
      } else {
        const view = await applyTraffic(candidate.handle, (now) => finalTraffic(candidate.baseline, candidate.revision, plan.tag, now.latestReadyRevision), { signal, what: `moving 100% to ${candidate.revision}` });
        // Last gate: the service URL itself now answers from the candidate.
        const probes = await probeWithAttempts(probeUrl(view.uri, check.path), check, deps.auth, signal);
        result.steps.push({ percent: 100, split: servedSplit(view), probes });
        if (!probes.ok) throw new GateFailure("final-probe", `${probes.url}: ${probes.lastError ?? "failed"} at 100%`);
        result.final = servedSplit(view);
      }
    }
    return result;
  } catch (err) {
    if (err instanceof GateFailure) {
      log.warn(`gate ${err.gate} failed: ${err.reason}; restoring the previous split`);
      const started = performance.now();
      const view = await restoreTraffic(candidate.handle, candidate.restore);
      return { ...result, outcome: "rolled-back", failedGate: err.gate, reason: err.reason, final: servedSplit(view), restoreMs: Math.round(performance.now() - started) };
    }
    if (signal?.aborted || err instanceof InterruptedError) {
      log.warn("interrupted: restoring the previous split before exiting");
      await restoreTraffic(candidate.handle, candidate.restore);
      throw new InterruptedError(`interrupted during the deploy of ${candidate.revision}; the previous split is restored (${candidate.baseline.map((s) => `${s.revision} ${s.percent}%`).join(", ")})`);
    }
    // A concurrent change is someone else's to resolve: never overwrite it. Anything else (the API
    // failing after retries mid-canary) still deserves a best-effort restore before reporting.
    if (!(err instanceof OpsError && err.code === "concurrent_change")) {
      try {
        await restoreTraffic(candidate.handle, candidate.restore);
        log.warn(`the previous split is restored after: ${err instanceof Error ? err.message : String(err)}`);
      } catch (restoreErr) {
        log.error(`could not restore the previous split (${candidate.baseline.map((s) => `${s.revision} ${s.percent}%`).join(", ")}): ${restoreErr instanceof Error ? restoreErr.message : String(restoreErr)}`);
      }
    }
    throw err;
  }
}

/**
 * Probes of the candidate spread over the bake. Stops early once the error budget of the bake is
 * spent: waiting out the bake would only serve more users a failing revision.
 */
async function bake(tagUri: string, check: ProbeCheck, plan: CanaryPlan, bakeMs: number, deps: CanaryDeps): Promise<ProbeSummary> {
  const url = probeUrl(tagUri, check.path);
  const results: ProbeResult[] = [];
  const interval = bakeMs / plan.probesPerBake;
  const allowedFailures = Math.floor(plan.maxErrorRate * plan.probesPerBake);
  for (let i = 0; i < plan.probesPerBake; i++) {
    await sleep(interval, deps.signal);
    results.push(await probeOnce(url, check, deps.auth, deps.signal));
    const failures = results.filter((r) => !r.ok).length;
    if (failures > allowedFailures) {
      const s = summarize(url, results);
      throw new GateFailure("bake-error-rate", `${failures}/${results.length} probes of ${url} failed (max error rate ${plan.maxErrorRate}): ${s.lastError ?? ""}`);
    }
  }
  if (deps.signal?.aborted) throw abortReason(deps.signal);
  const s = summarize(url, results);
  if (s.errorRate > plan.maxErrorRate) throw new GateFailure("bake-error-rate", `error rate ${s.errorRate.toFixed(3)} > ${plan.maxErrorRate} on ${url}`);
  if (s.p95Ms > plan.maxP95Ms) throw new GateFailure("bake-latency", `p95 ${s.p95Ms} ms > ${plan.maxP95Ms} ms on ${url}`);
  return s;
}

export type { Candidate };
