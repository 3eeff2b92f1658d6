/**
 * Deploy a candidate revision that serves no traffic: the new template gets an explicit revision
 * name, the current split is pinned by revision name (so the candidate gets 0% even when traffic
 * followed LATEST), and the candidate is reachable only under its tag URL. Waits until it is Ready,
 * then probes the tag URL. Shared by `opsctl deploy` and secret rotation (a candidate pinned to a
 * new secret version must pass health before it gets traffic).
 */
import type { protos } from "@google-cloud/run";
import { OpsError } from "../core/errors.js";
import { formatDuration } from "./canary-plan.js";
import { ExitCode } from "../core/exit-codes.js";
import type { ServiceView, SplitEntry, TrafficSpec } from "./model.js";
import { type AuthHeaders, type ProbeCheck, type ProbeSummary, probeUrl, probeWithAttempts } from "./probe.js";
import type { RunApi } from "./run-api.js";
import { restoreTraffic, type ServiceHandle, toRawTraffic, updateServiceChecked } from "./traffic-mutation.js";
import { pinnedTraffic, servedSplit } from "./traffic-split.js";
import { pollUntil } from "./wait.js";

export type RevisionTemplate = protos.google.cloud.run.v2.IRevisionTemplate;

/** A gate the candidate did not pass: the deploy rolls back and reports `reason`. */
export class GateFailure extends Error {
  constructor(
    readonly gate: string,
    readonly reason: string,
  ) {
    super(`${gate}: ${reason}`);
  }
}

export interface CandidateRequest {
  tag: string;
  readyTimeoutMs: number;
  /** changes the template: image, env, secret versions */
  mutateTemplate: (template: RevisionTemplate) => void;
  signal?: AbortSignal;
  /** revision id suffix; default: a time-based one */
  revisionSuffix?: string;
}

export interface Candidate {
  handle: ServiceHandle;
  /** what the service served before (LATEST resolved) */
  baseline: SplitEntry[];
  /** the traffic targets that restore the baseline exactly */
  restore: TrafficSpec[];
  before: ServiceView;
  revision: string;
}

/** Start the candidate. Throws OpsError before any change (not settled, concurrent change). */
export async function createCandidate(api: RunApi, serviceName: string, req: CandidateRequest): Promise<Candidate> {
  const { view: before } = await api.getService(serviceName);
  if (before.observedGeneration !== before.generation || before.reconciling) {
    throw new OpsError(`${serviceName} is still applying generation ${before.generation} (observed ${before.observedGeneration}); refusing to start a deploy on top of it`, {
      code: "service_not_settled",
      exitCode: ExitCode.refused,
      hint: "wait for it to settle (`opsctl health`), then re-run",
      runbook: "service-unhealthy",
    });
  }
  const baseline = servedSplit(before);
  const serviceId = serviceName.slice(serviceName.lastIndexOf("/") + 1);
  const revision = `${serviceId}-${req.revisionSuffix ?? Date.now().toString(36)}`;
  const handle: ServiceHandle = { api, name: serviceName, generation: before.generation };
  const keep = baseline.filter((s) => s.tag !== req.tag);
  await updateServiceChecked(
    handle,
    (raw) => {
      const template = raw.template ?? {};
      template.revision = revision;
      req.mutateTemplate(template);
      raw.template = template;
      raw.traffic = toRawTraffic([...pinnedTraffic(keep), { type: "REVISION", revision, percent: 0, tag: req.tag }]);
    },
    { expectGeneration: before.generation, what: `creating candidate revision ${revision}` },
  );
  return { handle, baseline, restore: pinnedTraffic(baseline), before, revision };
}

/** Wait until the candidate revision is Ready and its tag is served; returns the tag URL. */
export async function waitCandidateReady(c: Candidate, tag: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  let detail = "not created yet";
  const uri = await pollUntil(
    async () => {
      const rev = await c.handle.api.getRevision(`${c.handle.name}/revisions/${c.revision}`).catch(() => undefined);
      if (rev) {
        detail = rev.readyDetail;
        if (rev.failed) throw new GateFailure("candidate-ready", `revision ${c.revision} failed: ${rev.readyDetail}`);
        if (!rev.ready) return undefined;
      }
      const { view } = await c.handle.api.getService(c.handle.name);
      if (view.observedGeneration < c.handle.generation || view.reconciling) {
        detail = `service generation ${c.handle.generation} not observed yet`;
        return undefined;
      }
      return view.trafficStatuses.find((t) => t.tag === tag)?.uri;
    },
    { timeoutMs, signal },
  );
  if (!uri) throw new GateFailure("candidate-ready", `revision ${c.revision} not Ready within ${formatDuration(timeoutMs)} (${detail})`);
  return uri;
}

/** Probe the candidate's tag URL; a failure is a GateFailure. */
export async function probeCandidate(tagUri: string, check: ProbeCheck, auth: AuthHeaders, signal?: AbortSignal): Promise<ProbeSummary> {
  const summary = await probeWithAttempts(probeUrl(tagUri, check.path), check, auth, signal);
  if (!summary.ok) throw new GateFailure("candidate-probe", `${summary.url}: ${summary.lastError ?? "failed"} (${summary.count} attempt${summary.count === 1 ? "" : "s"})`);
  return summary;
}

/**
 * The whole "candidate at 0%, Ready, healthy" step for callers that promote on their own (secret
 * rotation: a revision pinned to the new secret version must pass health before it gets traffic).
 * On a failed gate the candidate tag is removed and the previous split restored, then the
 * GateFailure is rethrown. Promote with applyTraffic(handle, finalTraffic(...)).
 */
export async function verifiedCandidate(api: RunApi, serviceName: string, req: CandidateRequest & { check: ProbeCheck; auth: AuthHeaders }): Promise<{ candidate: Candidate; tagUri: string; probe: ProbeSummary }> {
  const candidate = await createCandidate(api, serviceName, req);
  try {
    const tagUri = await waitCandidateReady(candidate, req.tag, req.readyTimeoutMs, req.signal);
    const probe = await probeCandidate(tagUri, req.check, req.auth, req.signal);
    return { candidate, tagUri, probe };
  } catch (err) {
    if (!(err instanceof OpsError && err.code === "concurrent_change")) await restoreTraffic(candidate.handle, candidate.restore);
    throw err;
  }
}
