/**
 * Where a rotation stands, kept on the secret itself so a re-run after a crash finds it (the role
 * AWS gives the AWSPENDING / AWSCURRENT / AWSPREVIOUS staging labels). Aliases name versions
 * (`current`, `previous`, `pending`); annotations carry the step and its timestamps. Annotation keys
 * follow Secret Manager's rules (alphanumerics, dashes, underscores, dots; no slash).
 */
import type { SecretInfo, VersionInfo } from "./secret-store.js";

export const ANNOTATION = {
  step: "opsctl.rotation-step",
  version: "opsctl.rotation-version",
  startedAt: "opsctl.rotation-started-at",
  by: "opsctl.rotation-by",
  previousDisableAfter: "opsctl.previous-disable-after",
  rotatedAt: "opsctl.rotated-at",
  rolledBackFrom: "opsctl.rolled-back-from",
  /** the newest version number before `creating`: a version above it is the one being created */
  baseline: "opsctl.rotation-baseline",
} as const;

export const ALIAS = { current: "current", previous: "previous", pending: "pending" } as const;

/** creating: about to add a version (a crash here leaves a version newer than startedAt). */
export type RotationStep = "creating" | "created" | "set" | "tested";
const STEPS: RotationStep[] = ["creating", "created", "set", "tested"];

export interface PendingRotation {
  step: RotationStep;
  /** absent while `creating` and no version was recorded yet */
  version: number | undefined;
  startedAt: Date | undefined;
  by: string | undefined;
  baseline: number | undefined;
}

export function pendingRotation(secret: SecretInfo): PendingRotation | undefined {
  const step = secret.annotations[ANNOTATION.step];
  if (!step || !STEPS.includes(step as RotationStep)) return undefined;
  const version = Number(secret.annotations[ANNOTATION.version]);
  const started = secret.annotations[ANNOTATION.startedAt];
  const baseline = Number(secret.annotations[ANNOTATION.baseline]);
  return {
    baseline: Number.isInteger(baseline) && baseline >= 0 ? baseline : undefined,
    step: step as RotationStep,
    version: Number.isInteger(version) && version > 0 ? version : undefined,
    startedAt: started ? new Date(started) : undefined,
    by: secret.annotations[ANNOTATION.by],
  };
}

/** Annotations without the in-flight rotation keys. */
export function withoutPending(annotations: Record<string, string>): Record<string, string> {
  const out = { ...annotations };
  for (const key of [ANNOTATION.step, ANNOTATION.version, ANNOTATION.startedAt, ANNOTATION.by, ANNOTATION.baseline]) delete out[key];
  return out;
}

export function withoutAlias(aliases: Record<string, number>, ...names: string[]): Record<string, number> {
  const out = { ...aliases };
  for (const n of names) delete out[n];
  return out;
}

/**
 * The version consumers get today: the `current` alias when opsctl manages the secret, else the
 * newest enabled version (a secret created by hand or by terraform).
 */
export function currentVersion(secret: SecretInfo, versions: VersionInfo[]): VersionInfo | undefined {
  const byAlias = versions.find((v) => v.number === secret.aliases[ALIAS.current]);
  if (byAlias) return byAlias;
  const pending = pendingRotation(secret);
  const isPending = (n: number) => n === pending?.version || (pending?.step === "creating" && pending.baseline !== undefined && n > pending.baseline);
  return versions.find((v) => v.state === "ENABLED" && !isPending(v.number));
}

/** The version a rollback returns to: the `previous` alias, else the newest older version still holding a value. */
export function previousVersion(secret: SecretInfo, versions: VersionInfo[], current: VersionInfo): VersionInfo | undefined {
  const byAlias = versions.find((v) => v.number === secret.aliases[ALIAS.previous] && v.state !== "DESTROYED");
  if (byAlias && byAlias.number !== current.number) return byAlias;
  return versions.find((v) => v.number < current.number && v.state !== "DESTROYED");
}
