/**
 * The Cloud Run side of a rotation, on the deploy/health core of cli/cloud-run:
 *   candidate  (--verify cloudrun) a no-traffic revision of a consuming service with the secret's env
 *              vars pinned to the new version NUMBER, Ready + the service's health probe on its tag
 *              URL; afterwards the tag is released, the previous split restored and the template's
 *              secret references put back to the contract's, whatever the outcome;
 *   roll       (finish, rollback) a new revision whose secret references are what the env contract
 *              says (`latest`, which resolves to the new version at instance start), gated the same
 *              way (Ready + probe at 0%), then promoted with the deploy's final traffic.
 * Roll revisions are named <service>-<sr|sb><version>-<hash of the secret id>-<time>, so a re-run
 * after a crash recognises a roll it already promoted (nothing to do). A roll made but not promoted
 * is not trusted: the re-run makes and gates a fresh one.
 */
import { createHash } from "node:crypto";
import type { EnvironmentConfig } from "../../config/schema.js";
import { parseDuration } from "../cloud-run/canary-plan.js";
import { GateFailure, type RevisionTemplate, verifiedCandidate } from "../cloud-run/candidate.js";
import { serviceFullName, serviceId } from "../cloud-run/names.js";
import { type AuthHeaders, idTokenAuth, type ProbeCheck } from "../cloud-run/probe.js";
import type { RunApi } from "../cloud-run/run-api.js";
import { applyTraffic, type ServiceHandle, toRawTraffic, updateServiceChecked, waitSettled, SETTLE_TIMEOUT_MS } from "../cloud-run/traffic-mutation.js";
import { finalTraffic, pinnedTraffic, servedSplit } from "../cloud-run/traffic-split.js";
import { OpsError, remoteError } from "../core/errors.js";
import { ExitCode } from "../core/exit-codes.js";
import type { RollOutcome, SecretConsumer } from "./consumers.js";

/** The tag a secret candidate is reachable under while it is checked. */
export const ROTATION_TAG = "secret-rotation";

/** A consuming service and the env vars through which it reads the secret. */
export interface ConsumingService {
  service: string;
  envVars: string[];
  /** the version its contract pins: "latest" or a number */
  version: string;
}

export function consumingServices(consumers: SecretConsumer[]): ConsumingService[] {
  const by = new Map<string, ConsumingService>();
  for (const c of consumers) {
    if (c.kind !== "service") continue;
    const s = by.get(c.name) ?? { service: c.name, envVars: [], version: c.version };
    s.envVars.push(c.envVar);
    by.set(c.name, s);
  }
  return [...by.values()];
}

export interface CandidateOutcome {
  service: string;
  revision: string;
  ok: boolean;
  detail: string;
}

/** The fixed part of a roll revision's name: a re-run recognises a roll it already promoted. */
export function rollRevisionStem(purpose: "roll" | "back", secretId: string, version: number): string {
  const hash = createHash("sha256").update(secretId).digest("hex").slice(0, 6);
  return `${purpose === "roll" ? "sr" : "sb"}${version}-${hash}`;
}

/** Point `envVars` of the template at `version` of the secret (added to the first container if missing). */
function setSecretRefs(template: RevisionTemplate, secretId: string, envVars: string[], version: string): void {
  const seen = new Set<string>();
  for (const container of template.containers ?? []) {
    for (const e of container.env ?? []) {
      if (!e.name || !envVars.includes(e.name)) continue;
      seen.add(e.name);
      e.value = null;
      e.valueSource = { secretKeyRef: { secret: e.valueSource?.secretKeyRef?.secret || secretId, version } };
    }
  }
  const first = template.containers?.[0];
  for (const name of envVars) {
    if (seen.has(name) || !first) continue;
    // the contract wants it but the live template lacks it (the drift health reports): add it
    first.env = [...(first.env ?? []), { name, valueSource: { secretKeyRef: { secret: secretId, version } } }];
  }
}

export class CloudRunConsumers {
  constructor(
    /** opened on first use: a dry run or a rotation without Cloud Run consumers never connects */
    private readonly openApi: () => Promise<RunApi>,
    private readonly config: EnvironmentConfig,
    private readonly project: string,
    private readonly region: string,
    private readonly authFor: (isPublic: boolean) => AuthHeaders = (p) => idTokenAuth(p),
  ) {}

  serviceId(service: string): string {
    return serviceId(this.config, service);
  }

  fullName(service: string): string {
    return serviceFullName(this.project, this.region, serviceId(this.config, service));
  }

  private gate(service: string): { check: ProbeCheck; auth: AuthHeaders; readyTimeoutMs: number } {
    const svc = this.config.services[service];
    if (!svc) throw new OpsError(`service ${service} is not declared in the environment document`, { code: "unknown_service", exitCode: ExitCode.usage });
    const h = svc.health;
    return {
      check: { path: h.path, expectStatus: h.expectStatus, attempts: h.attempts, timeoutMs: h.timeoutMs, ...(h.jsonField ? { jsonField: h.jsonField } : {}) },
      auth: this.authFor(svc.public),
      readyTimeoutMs: parseDuration(svc.deploy.readyTimeout, "readyTimeout"),
    };
  }

  /**
   * The test step for one service. ok:false when the candidate failed a gate (not Ready, probe);
   * API failures throw (the rotation stays pending and resumes at test).
   */
  async checkCandidate(target: ConsumingService, secretId: string, version: number, signal: AbortSignal): Promise<CandidateOutcome> {
    const name = this.fullName(target.service);
    const gate = this.gate(target.service);
    const api = await this.openApi();
    const suffix = `sc${version}-${Date.now().toString(36)}`;
    const revision = `${serviceId(this.config, target.service)}-${suffix}`;
    let created = false;
    try {
      const { candidate, probe } = await verifiedCandidate(api, name, {
        tag: ROTATION_TAG,
        readyTimeoutMs: gate.readyTimeoutMs,
        revisionSuffix: suffix,
        signal,
        check: gate.check,
        auth: gate.auth,
        mutateTemplate: (template) => {
          created = true;
          setSecretRefs(template, secretId, target.envVars, String(version));
        },
      });
      await this.release(candidate.handle, pinnedTraffic(candidate.baseline.filter((s) => s.tag !== ROTATION_TAG)), secretId, target);
      return { service: target.service, revision: candidate.revision, ok: true, detail: `${target.service}: candidate ${candidate.revision} (${target.envVars.join(", ")} → v${version}) Ready, ${probe.url} healthy (p50 ${probe.p50Ms} ms)` };
    } catch (err) {
      // someone else changed the service: theirs to resolve, never overwritten
      if (!created || (err instanceof OpsError && err.code === "concurrent_change")) throw asOpsError(err, `starting a candidate of ${name}`);
      // verifiedCandidate restored the split; put the template's references back too (also on Ctrl-C)
      const { view } = await api.getService(name);
      const released = this.release({ api, name, generation: view.generation }, undefined, secretId, target);
      if (!(err instanceof GateFailure)) {
        await released.catch(() => undefined);
        throw asOpsError(err, `checking a candidate of ${name}`);
      }
      await released;
      return { service: target.service, revision, ok: false, detail: `${target.service}: candidate ${revision} (${target.envVars.join(", ")} → v${version}) failed ${err.gate}: ${err.reason}` };
    }
  }

  /**
   * Remove the candidate: traffic back to the split before (when given) and, so that the next
   * deploy does not build on a template pinned to the tested version, the secret references back
   * to what the env contract says. Cloud Run makes a revision of the restored template; pinned
   * traffic keeps it at 0%. Takes no abort signal: it runs because of one, too.
   */
  private async release(handle: ServiceHandle, traffic: ReturnType<typeof pinnedTraffic> | undefined, secretId: string, target: ConsumingService): Promise<void> {
    const generation = await updateServiceChecked(
      handle,
      (raw) => {
        if (traffic) raw.traffic = toRawTraffic(traffic);
        const template = raw.template ?? {};
        template.revision = null;
        setSecretRefs(template, secretId, target.envVars, target.version);
        raw.template = template;
      },
      { expectGeneration: handle.generation, what: "releasing the secret candidate" },
    );
    const settled = await waitSettled(handle, generation, SETTLE_TIMEOUT_MS);
    if (!settled) throw new OpsError(`${handle.name} did not settle after releasing the secret candidate`, { code: "not_settled", exitCode: ExitCode.remote, runbook: "secret-rotation" });
  }

  /**
   * Roll one service onto a revision whose secret env vars reference `reads`, gated like a deploy
   * candidate, then promoted. A re-run recognises a promoted roll by its name's stem.
   */
  async roll(target: ConsumingService, secretId: string, purpose: "roll" | "back", version: number, reads: string, signal: AbortSignal): Promise<RollOutcome> {
    const name = this.fullName(target.service);
    const gate = this.gate(target.service);
    const api = await this.openApi();
    const stem = rollRevisionStem(purpose, secretId, version);
    const prefix = `${serviceId(this.config, target.service)}-${stem}`;
    const suffix = `${stem}-${Date.now().toString(36)}`;
    const revision = `${serviceId(this.config, target.service)}-${suffix}`;
    const what = `${target.envVars.join(", ")} → ${reads === "latest" ? `latest (= v${version})` : `v${version}`}`;
    const { view } = await api.getService(name).catch((err: unknown) => Promise.reject(asOpsError(err, `reading ${name}`)));
    const serving = servedSplit(view).filter((s) => s.percent > 0);
    const done = serving.length === 1 ? serving[0]?.revision : undefined;
    if (done?.startsWith(`${prefix}-`)) {
      return { service: target.service, revision: done, outcome: "already", reads, detail: `${target.service}: ${done} (${what}) already serves 100%` };
    }
    try {
      const { candidate } = await verifiedCandidate(api, name, {
        tag: ROTATION_TAG,
        readyTimeoutMs: gate.readyTimeoutMs,
        revisionSuffix: suffix,
        signal,
        check: gate.check,
        auth: gate.auth,
        mutateTemplate: (template) => {
          setSecretRefs(template, secretId, target.envVars, reads);
        },
      });
      await applyTraffic(candidate.handle, (now) => finalTraffic(candidate.baseline, candidate.revision, ROTATION_TAG, now.latestReadyRevision), { signal, what: `moving 100% to ${candidate.revision}` });
      return { service: target.service, revision, outcome: "rolled", reads, detail: `${target.service}: ${revision} (${what}) Ready, healthy, serves 100%` };
    } catch (err) {
      if (!(err instanceof GateFailure)) throw asOpsError(err, `rolling ${name}`);
      throw new OpsError(`rolling ${target.service} onto ${revision} (${what}) failed ${err.gate}: ${err.reason}; its previous split is restored`, {
        code: "consumer_roll_failed",
        exitCode: ExitCode.findings,
        hint: "the rotation stays at its last step: fix the service and re-run the same command, or `opsctl secrets rollback`",
        runbook: "secret-rotation",
      });
    }
  }
}

/** API failures of the Cloud Run client arrive as plain errors: report them as remote errors. */
function asOpsError(err: unknown, attempt: string): unknown {
  return err instanceof OpsError ? err : remoteError(attempt, err, { runbook: "secret-rotation", hint: "the rotation stays at its last step; re-run the same command to resume" });
}
