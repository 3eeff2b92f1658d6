/**
 * The env contract wired explicitly (DESIGN.md "The env contract"): every `from` source becomes a
 * Terraform reference to the attribute of the resource that owns it, every `secret` source a
 * `secret_key_ref`, and literals stay literals. Wrong wiring fails synth with every problem and its
 * dot-path, even when the document never went through `config validate`.
 */
import { didYouMean } from "../../config/did-you-mean.js";
import { literalLooksSecret, reservedNameProblem, type WorkloadKind } from "../../config/env-contract.js";
import type { EnvSource } from "../../config/schema.js";
import type { WorkloadEnvVar } from "../../modules/cloud-run-service/index.js";
import { findCycle } from "./find-cycle.js";

export { findCycle } from "./find-cycle.js";

/** A `from:` source name → the Terraform expression that yields it. */
export type SourceTable = ReadonlyMap<string, string>;

export interface WiredEnv {
  env: WorkloadEnvVar[];
  /** config names of the secrets it reads (its accessor IAM) */
  secrets: string[];
  /** `from` sources it reads, e.g. topic.audit-events.id (its other IAM) */
  sources: string[];
}

export class WiringError extends Error {
  constructor(readonly problems: string[]) {
    super(`the env contract is not wired correctly (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
    this.name = "WiringError";
  }
}

export interface WorkloadContract {
  kind: WorkloadKind;
  name: string;
  env: Readonly<Record<string, EnvSource>>;
  requiredEnv?: readonly string[];
}

const LOOPBACK = /^(localhost|127\.0\.0\.1|::1|0\.0\.0\.0)(:\d+)?$/i;

/** Problems of one workload's contract against what this environment can provide. */
export function contractProblems(w: WorkloadContract, sources: SourceTable, secretIds: ReadonlyMap<string, string>): string[] {
  const base = `${w.kind === "service" ? "services" : "jobs"}.${w.name}`;
  const problems: string[] = [];
  for (const [name, source] of Object.entries(w.env ?? {})) {
    const path = `${base}.env.${name}`;
    const reserved = reservedNameProblem(name, w.kind);
    if (reserved !== undefined) problems.push(`${path}: ${reserved}`);
    if (source !== null && typeof source === "object" && "from" in source && typeof source.from === "string") {
      if (!sources.has(source.from)) problems.push(`${path}: unknown source "${source.from}"${didYouMean(source.from, sources.keys())}`);
      if (w.kind === "service" && source.from === `service.${w.name}.url`) problems.push(`${path}: a service cannot read its own URL from the contract (dependency cycle); read it at run time`);
    } else if (source !== null && typeof source === "object" && "secret" in source && typeof source.secret === "string") {
      if (!secretIds.has(source.secret)) problems.push(`${path}: unknown secret "${source.secret}"${didYouMean(source.secret, secretIds.keys())}`);
      const version = (source as { version?: unknown }).version ?? "latest";
      if (typeof version !== "string" || !/^(latest|\d+)$/.test(version)) problems.push(`${path}: secret version must be "latest" or a number`);
    } else if (source !== null && typeof source === "object" && "value" in source && typeof source.value === "string") {
      const secret = literalLooksSecret(name, source.value);
      if (secret !== undefined) problems.push(`${path}: ${secret}`);
      if (LOOPBACK.test(source.value)) problems.push(`${path}: literal "${source.value}" points at the container itself; wire it from its resource (seed 000: REDIS_HOST defaulted to localhost)`);
    } else {
      problems.push(`${path}: expected one of { from: ... }, { secret: ... } or { value: ... }`);
    }
  }
  (w.requiredEnv ?? []).forEach((name, i) => {
    if (!(name in (w.env ?? {}))) problems.push(`${base}.requiredEnv.${i}: "${name}" is required but not wired${didYouMean(name, Object.keys(w.env ?? {}))}`);
  });
  return problems;
}

/** Turns one workload's contract into container env; throws WiringError listing every problem. */
export function wireEnv(w: WorkloadContract, sources: SourceTable, secretIds: ReadonlyMap<string, string>): WiredEnv {
  const problems = contractProblems(w, sources, secretIds);
  if (problems.length > 0) throw new WiringError(problems);
  const env: WorkloadEnvVar[] = [];
  const secrets = new Set<string>();
  const used = new Set<string>();
  for (const [name, source] of Object.entries(w.env)) {
    if ("from" in source) {
      env.push({ name, value: sources.get(source.from) as string });
      used.add(source.from);
    } else if ("secret" in source) {
      env.push({ name, secret: { secret: secretIds.get(source.secret) as string, version: source.version ?? "latest" } });
      secrets.add(source.secret);
    } else env.push({ name, value: source.value });
  }
  return { env, secrets: [...secrets].sort(), sources: [...used].sort() };
}

/** service → the services whose URL it reads from the contract (itself excluded). */
export function serviceUrlEdges(services: Readonly<Record<string, { env: Readonly<Record<string, EnvSource>> }>>): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const [name, s] of Object.entries(services)) {
    const targets = Object.values(s.env ?? {}).flatMap((src) => {
      const m = src && "from" in src ? /^service\.([^.]+)\.url$/.exec(src.from) : null;
      return m?.[1] && m[1] !== name ? [m[1]] : [];
    });
    edges.set(name, targets);
  }
  return edges;
}

/**
 * Services may read each other's URLs; within one stack a mutual reference is a Terraform cycle.
 * Returns the path of the first cycle (["a", "b", "a"]) or undefined.
 */
export function serviceUrlCycle(services: Readonly<Record<string, { env: Readonly<Record<string, EnvSource>> }>>): string[] | undefined {
  return findCycle(serviceUrlEdges(services));
}
