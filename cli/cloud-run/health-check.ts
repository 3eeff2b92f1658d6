/**
 * `opsctl health` for one service: readiness of the service and of every revision that serves
 * traffic, traffic statuses vs spec, HTTP probes of the service URL and of each tagged revision URL
 * (with p50/p95), and env drift of the serving revisions against the contract.
 */
import type { ServiceConfig } from "../../config/schema.js";
import { errorStatus, remoteError } from "../core/errors.js";
import { envDrift } from "./env-drift.js";
import { type AuthHeaders, type ProbeSummary, probeUrl, probeWithAttempts } from "./probe.js";
import { type Check, serviceReadinessChecks } from "./readiness.js";
import type { RunApi } from "./run-api.js";
import { formatSplit, servedSplit, servingRevisions } from "./traffic-split.js";
import type { SplitEntry } from "./model.js";

export interface HealthReport {
  service: string;
  name: string;
  healthy: boolean;
  serving: SplitEntry[];
  checks: Check[];
  probes: ProbeSummary[];
  warnings: string[];
}

export async function checkServiceHealth(api: RunApi, key: string, name: string, config: ServiceConfig, auth: AuthHeaders, signal?: AbortSignal): Promise<HealthReport> {
  let view: Awaited<ReturnType<RunApi["getService"]>>["view"];
  try {
    view = (await api.getService(name)).view;
  } catch (err) {
    const status = errorStatus(err);
    // A service the document declares but the project lacks is a finding, not an API failure.
    if (status.code === 5 || status.status === 404) {
      return { service: key, name, healthy: false, serving: [], checks: [{ name: "service-exists", ok: false, detail: `${name} not found (not deployed yet, or wrong project/region)` }], probes: [], warnings: [] };
    }
    throw remoteError(`reading Cloud Run service ${name}`, err, { runbook: "service-unhealthy" });
  }
  const checks = serviceReadinessChecks(view);
  const warnings: string[] = [];
  const serving = servedSplit(view);
  for (const id of servingRevisions(serving)) {
    const rev = await api.getRevision(`${name}/revisions/${id}`).catch(() => undefined);
    checks.push({ name: `revision-ready:${id}`, ok: rev?.ready === true, detail: rev ? rev.readyDetail : "revision not found" });
    if (rev && Object.keys(config.env).length > 0) {
      const drift = envDrift(config.env, rev);
      checks.push({ name: `env-contract:${id}`, ok: drift.length === 0, detail: drift.length === 0 ? `${Object.keys(config.env).length} vars match` : drift.join("; ") });
    }
  }
  if (!view.traffic.some((t) => t.type === "LATEST") && view.latestReadyRevision && !servingRevisions(serving).includes(view.latestReadyRevision)) {
    warnings.push(`traffic is pinned (${formatSplit(serving)}) and the latest Ready revision ${view.latestReadyRevision} gets 0%: a deploy outside opsctl will not receive traffic (runbooks/rollback.md)`);
  }
  const h = config.health;
  const check = { path: h.path, expectStatus: h.expectStatus, attempts: h.attempts, timeoutMs: h.timeoutMs, ...(h.jsonField ? { jsonField: h.jsonField } : {}) };
  const probes: ProbeSummary[] = [];
  const targets = [{ label: "service", uri: view.uri }, ...view.trafficStatuses.filter((t) => t.tag && t.uri).map((t) => ({ label: `tag:${t.tag}`, uri: t.uri ?? "" }))];
  for (const target of targets) {
    if (!target.uri) continue;
    const summary = await probeWithAttempts(probeUrl(target.uri, h.path), check, auth, signal);
    probes.push(summary);
    checks.push({ name: `probe:${target.label}`, ok: summary.ok, detail: summary.ok ? `HTTP ${h.expectStatus} p50 ${summary.p50Ms} ms p95 ${summary.p95Ms} ms` : `${summary.url}: ${summary.lastError ?? "failed"}` });
  }
  return { service: key, name, healthy: checks.every((c) => c.ok), serving, checks, probes, warnings };
}
