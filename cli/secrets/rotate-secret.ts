/**
 * The rotation protocol (DESIGN.md "Secret rotation protocol", after AWS Secrets Manager):
 *   create  add a version with the new value, remembered as the `pending` alias + annotations
 *   set     change the value where it must also change (no built-in target: recorded as skipped)
 *   test    the verifier; a refused value disables the new version and leaves consumers untouched
 *   finish  roll every consuming service that reads `latest` onto a new revision (health-gated,
 *           see cloud-run-consumers.ts), then `current` → new, `previous` → old (disabled by prune
 *           after the grace period). The rolls come before the pending marker is cleared, so a
 *           crash mid-finish leaves the rotation at `tested` and the re-run rolls what is left.
 * Every step is persisted on the secret before the next starts, so a re-run after a crash resumes
 * where it stopped instead of creating a second version.
 *
 * Secret Manager's `latest` is the most recently created version whatever its state: once the
 * pending version is disabled, consumers reading `latest` would fail on their next instance start.
 * So an aborted rotation copies the current value forward as a new version ("restore-latest").
 */
import { errorMessage, InterruptedError } from "../core/errors.js";
import { LOG_EVENTS } from "../core/log-event-names.js";
import type { Logger } from "../core/output.js";
import type { AuditEntry, AuditLog } from "./audit-log.js";
import { type ConsumerAction, consumerActions, type RollOutcome, referenceFor, type SecretConsumer } from "./consumers.js";
import { ALIAS, ANNOTATION, currentVersion, pendingRotation, type RotationStep, withoutAlias, withoutPending } from "./rotation-state.js";
import type { SecretStore, VersionInfo } from "./secret-store.js";
import type { SecretVerifier } from "./verifiers.js";

export interface ObtainedValue {
  value: string;
  /** how the value was made, e.g. "stdin", "generator hex:32", "provider meta-token" */
  source: string;
  /** rsa generator: the public half, safe to print */
  publicKey?: string;
  expiresInSeconds?: number;
}

export interface RotateInput {
  secretId: string;
  consumers: SecretConsumer[];
  graceMs: number;
  verifier: SecretVerifier | undefined;
  /** called only when a new version must be created (not when resuming) */
  obtainValue(current: { version: VersionInfo | undefined; read(): Promise<string> }): Promise<ObtainedValue>;
  actor: string;
  /** rolls the consuming services at finish; absent with --no-roll-consumers or no consumer */
  roller?: ConsumerRoller;
}

/** What finish needs to roll consumers onto the new version (cloud-run-consumers.ts on Cloud Run). */
export interface ConsumerRoller {
  /** the services to roll: consumers whose contract reads `latest` */
  readonly services: string[];
  rollService(service: string, input: { secretId: string; version: number; reads: string; signal: AbortSignal }): Promise<RollOutcome>;
}

export interface RotateDeps {
  store: SecretStore;
  audit: AuditLog;
  log: Logger;
  signal: AbortSignal;
  now?: () => Date;
}

export interface StepReport {
  step: "create" | "set" | "test" | "roll" | "finish" | "abort" | "restore-latest";
  outcome: "ok" | "failed" | "skipped" | "resumed";
  version?: number;
  detail: string;
}

export interface RotateResult {
  secret: string;
  outcome: "rotated" | "test-failed";
  resumed: boolean;
  fromVersion: number | undefined;
  version: number;
  /** the version consumers on `latest` read after an aborted rotation */
  restoredVersion?: number;
  valueSource?: string;
  publicKey?: string;
  expiresInSeconds?: number;
  previousDisableAfter?: string;
  steps: StepReport[];
  consumers: ConsumerAction[];
  /** the services rolled onto the new version at finish */
  rolled: RollOutcome[];
}

const ORDER: RotationStep[] = ["creating", "created", "set", "tested"];
const reached = (step: RotationStep | undefined, target: RotationStep) => step !== undefined && ORDER.indexOf(step) >= ORDER.indexOf(target);

/** The protocol step a failure belongs to, from the steps recorded so far (for the alert event). */
function failedStep(steps: StepReport[]): "create" | "set" | "test" | "finish" {
  const done = new Set(steps.filter((s) => s.outcome !== "failed").map((s) => s.step));
  if (!done.has("create")) return "create";
  if (!done.has("set")) return "set";
  if (!done.has("test")) return "test";
  return "finish";
}

/**
 * One rotation, ending in exactly one of the events the alerting counts: secret.rotation.completed,
 * or secret.rotation.failed naming the step (an interruption is neither: re-running resumes it).
 */
export async function rotateSecret(input: RotateInput, deps: RotateDeps): Promise<RotateResult> {
  const steps: StepReport[] = [];
  try {
    const result = await runRotation(input, deps, steps);
    if (result.outcome === "rotated") {
      deps.log.event(LOG_EVENTS.secretRotationCompleted, { secret: input.secretId, version: String(result.version), ...(result.fromVersion !== undefined ? { previousVersion: String(result.fromVersion) } : {}) });
    } else {
      const failed = steps.find((s) => s.step === "test" && s.outcome === "failed");
      deps.log.event(LOG_EVENTS.secretRotationFailed, { secret: input.secretId, step: "test", error: failed?.detail ?? "the new version failed its test" });
    }
    return result;
  } catch (err) {
    if (!(err instanceof InterruptedError)) deps.log.event(LOG_EVENTS.secretRotationFailed, { secret: input.secretId, step: failedStep(steps), error: errorMessage(err) });
    throw err;
  }
}

async function runRotation(input: RotateInput, deps: RotateDeps, steps: StepReport[]): Promise<RotateResult> {
  const { store, audit, log } = deps;
  const now = deps.now ?? (() => new Date());
  const id = input.secretId;
  const checkpoint = () => {
    if (deps.signal.aborted) throw new InterruptedError(`interrupted during the rotation of ${id}; re-run the same command to resume`);
  };
  const record = async (report: StepReport, auditStep: AuditEntry["step"], auditOutcome: AuditEntry["outcome"]) => {
    steps.push(report);
    log.event(`secret.${report.step}`, { secret: id, version: report.version, outcome: report.outcome, detail: report.detail });
    await audit.record({ secret: id, version: report.version, step: auditStep, outcome: auditOutcome, detail: report.detail });
  };

  let secret = await store.requireSecret(id);
  const versions = await store.listVersions(id);
  const pending = pendingRotation(secret);
  const current = currentVersion(secret, versions);
  let step: RotationStep | undefined;
  let newVersion: number | undefined;
  let resumed = false;

  if (pending) {
    if (pending.step === "creating") {
      // A crash between addVersion and the "created" checkpoint: the version is the one above the baseline.
      const baseline = pending.baseline ?? Number.POSITIVE_INFINITY;
      const orphan = versions.find((v) => v.state === "ENABLED" && v.number > baseline);
      if (orphan) {
        newVersion = orphan.number;
        step = "created";
        resumed = true;
        secret = await store.updateMetadata(id, (s) => ({
          annotations: { ...s.annotations, [ANNOTATION.step]: "created", [ANNOTATION.version]: String(orphan.number) },
          aliases: { ...s.aliases, [ALIAS.pending]: orphan.number },
        }));
      }
    } else if (pending.version !== undefined && versions.find((v) => v.number === pending.version)?.state === "ENABLED") {
      newVersion = pending.version;
      step = pending.step;
      resumed = true;
    }
    if (!resumed) {
      log.warn(`discarding a stale rotation marker on ${id} (step ${pending.step}, version ${pending.version ?? "none"})`);
      secret = await store.updateMetadata(id, (s) => ({ annotations: withoutPending(s.annotations), aliases: withoutAlias(s.aliases, ALIAS.pending) }));
    } else {
      log.info(`resuming the rotation of ${id} started ${pending.startedAt?.toISOString() ?? "earlier"} by ${pending.by ?? "unknown"}: v${newVersion} is past step ${step}`);
      // recorded again: the crash may have come before the first run's audit record was written
      await record({ step: "create", outcome: "resumed", version: newVersion, detail: `resumed: pending v${newVersion} found at step ${step}` }, "create", "ok");
    }
  }

  let value: string;
  let obtained: ObtainedValue | undefined;
  if (newVersion === undefined) {
    checkpoint();
    obtained = await input.obtainValue({ version: current, read: () => (current ? store.access(id, current.number) : Promise.reject(new Error("no current version"))) });
    value = obtained.value;
    checkpoint();
    const startedAt = now().toISOString();
    secret = await store.updateMetadata(id, (s) => ({
      annotations: {
        ...withoutPending(s.annotations),
        [ANNOTATION.step]: "creating",
        [ANNOTATION.startedAt]: startedAt,
        [ANNOTATION.by]: input.actor,
        [ANNOTATION.baseline]: String(versions[0]?.number ?? 0),
      },
    }));
    const added = await store.addVersion(id, value);
    newVersion = added.number;
    secret = await store.updateMetadata(id, (s) => ({
      annotations: { ...s.annotations, [ANNOTATION.step]: "created", [ANNOTATION.version]: String(added.number) },
      aliases: { ...s.aliases, [ALIAS.pending]: added.number },
    }));
    step = "created";
    await record({ step: "create", outcome: "ok", version: added.number, detail: `added v${added.number} (value from ${obtained.source})` }, "create", "ok");
  } else {
    value = await store.access(id, newVersion);
  }
  const target = newVersion;

  if (!reached(step, "set")) {
    checkpoint();
    await record({ step: "set", outcome: "skipped", version: target, detail: "no external system holds this value for opsctl to change" }, "set", "skipped");
    secret = await store.updateMetadata(id, (s) => ({ annotations: { ...s.annotations, [ANNOTATION.step]: "set" } }));
    step = "set";
  }

  if (!reached(step, "tested")) {
    checkpoint();
    if (input.verifier) {
      const outcome = await input.verifier.verify(value, { secretId: id, version: target, signal: deps.signal });
      if (!outcome.ok) {
        await record({ step: "test", outcome: "failed", version: target, detail: `${input.verifier.label}: ${outcome.detail}` }, "test", "failed");
        return abortRotation({ id, target, current, input, deps, steps, record, resumed, obtained });
      }
      await record({ step: "test", outcome: "ok", version: target, detail: `${input.verifier.label}: ${outcome.detail}` }, "test", "ok");
    } else {
      await record({ step: "test", outcome: "skipped", version: target, detail: "no --verify given: the new value was not tested" }, "test", "skipped");
    }
    secret = await store.updateMetadata(id, (s) => ({ annotations: { ...s.annotations, [ANNOTATION.step]: "tested" } }));
  }

  const rolled: RollOutcome[] = [];
  if (input.roller && input.roller.services.length > 0) {
    // `latest` is the newest version whatever its state: roll to it only when it is the target
    const reads = referenceFor(target, (await store.listVersions(id))[0]?.number);
    for (const service of input.roller.services) {
      checkpoint();
      let outcome: RollOutcome;
      try {
        outcome = await input.roller.rollService(service, { secretId: id, version: target, reads, signal: deps.signal });
      } catch (err) {
        await record({ step: "roll", outcome: "failed", version: target, detail: `${service}: ${err instanceof Error ? err.message : String(err)}` }, "roll", "failed");
        throw err;
      }
      rolled.push(outcome);
      await record({ step: "roll", outcome: outcome.outcome === "already" ? "resumed" : "ok", version: target, detail: outcome.detail }, "roll", "ok");
    }
  }

  checkpoint();
  const previous = current && current.number !== target ? current.number : undefined;
  const disableAfter = new Date(now().getTime() + input.graceMs).toISOString();
  await store.updateMetadata(id, (s) => {
    const annotations = withoutPending(s.annotations);
    delete annotations[ANNOTATION.rolledBackFrom];
    annotations[ANNOTATION.rotatedAt] = now().toISOString();
    if (previous !== undefined) annotations[ANNOTATION.previousDisableAfter] = disableAfter;
    else delete annotations[ANNOTATION.previousDisableAfter];
    const aliases = withoutAlias(s.aliases, ALIAS.pending, ALIAS.previous);
    aliases[ALIAS.current] = target;
    if (previous !== undefined) aliases[ALIAS.previous] = previous;
    return { annotations, aliases };
  });
  const actions = consumerActions(input.consumers, target, new Set(rolled.map((r) => r.service)));
  const needing = actions.filter((a) => a.action !== "none").length;
  await record(
    {
      step: "finish",
      outcome: "ok",
      version: target,
      detail: `current → v${target}${previous !== undefined ? `, previous → v${previous} (disabled by prune after ${disableAfter})` : ""}; ${rolled.length} service(s) rolled; ${needing} consumer(s) still need a new revision or pin`,
    },
    "finish",
    "ok",
  );
  return {
    secret: id,
    outcome: "rotated",
    resumed,
    fromVersion: previous,
    version: target,
    valueSource: obtained?.source,
    publicKey: obtained?.publicKey,
    expiresInSeconds: obtained?.expiresInSeconds,
    previousDisableAfter: previous !== undefined ? disableAfter : undefined,
    steps,
    consumers: actions,
    rolled,
  };
}

async function abortRotation(a: {
  id: string;
  target: number;
  current: VersionInfo | undefined;
  input: RotateInput;
  deps: RotateDeps;
  steps: StepReport[];
  record: (report: StepReport, auditStep: AuditEntry["step"], auditOutcome: AuditEntry["outcome"]) => Promise<void>;
  resumed: boolean;
  obtained: ObtainedValue | undefined;
}): Promise<RotateResult> {
  const { store } = a.deps;
  await store.setState(a.id, a.target, "disable");
  let restored: number | undefined;
  const newest = (await store.listVersions(a.id))[0];
  if (a.current && newest?.number === a.target) {
    // keep `latest` readable: the failed version is the newest, and latest does not skip disabled versions
    const currentValue = await store.access(a.id, a.current.number);
    restored = (await store.addVersion(a.id, currentValue)).number;
  }
  await store.updateMetadata(a.id, (s) => {
    const aliases = withoutAlias(s.aliases, ALIAS.pending);
    if (restored !== undefined) aliases[ALIAS.current] = restored;
    return { annotations: withoutPending(s.annotations), aliases };
  });
  await a.record({ step: "abort", outcome: "ok", version: a.target, detail: `disabled v${a.target}; consumers untouched` }, "abort", "ok");
  if (restored !== undefined) {
    await a.record(
      { step: "restore-latest", outcome: "ok", version: restored, detail: `copied the value of v${a.current?.number} to v${restored} so \`latest\` stays readable` },
      "restore-latest",
      "ok",
    );
  }
  return {
    secret: a.id,
    outcome: "test-failed",
    resumed: a.resumed,
    fromVersion: a.current?.number,
    version: a.target,
    restoredVersion: restored,
    valueSource: a.obtained?.source,
    steps: a.steps,
    consumers: [],
    rolled: [],
  };
}
