/**
 * A live revision's env against the env contract. One diff serves two callers:
 *  - `opsctl health` passes nothing else: names, secret references and literals are checked, `from:`
 *    values are not (they need the live project);
 *  - `opsctl env verify` also passes the resolved `from:` values and the state of each referenced
 *    secret's versions, so wrong values and unusable secret versions are found too.
 * Secret values never enter here: only references and version states.
 */
import { literalLooksSecret } from "../../config/env-contract.js";
import type { ServiceConfig } from "../../config/schema.js";
import type { RevisionView } from "./model.js";

export type DriftKind =
  | "missing"
  | "unexpected"
  | "wrong-value"
  | "literal-for-secret"
  | "secret-for-literal"
  | "wrong-secret"
  | "wrong-secret-version"
  | "secret-missing"
  | "secret-version-missing"
  | "secret-version-disabled"
  | "secret-version-destroyed"
  | "secret-latest-not-enabled"
  | "local-address";

export interface EnvDrift {
  name: string;
  kind: DriftKind;
  expected: string;
  actual: string;
  /** one sentence for humans */
  message: string;
}

export type LiveEnvVar = RevisionView["env"][number];

/** What Secret Manager says about one secret: its versions (any order) and aliases; absent = no such secret. */
export interface SecretVersions {
  versions: Array<{ number: number; state: "ENABLED" | "DISABLED" | "DESTROYED" }>;
  aliases: Record<string, number>;
}

export interface DiffContext {
  /** `from:` source → live value; a source left out is not value-checked */
  resolved?: ReadonlyMap<string, string>;
  /** secret id → its versions; a secret left out is not state-checked; `null` = it does not exist */
  secrets?: ReadonlyMap<string, SecretVersions | null>;
}

/** A value that only works on the developer's machine (seed 000: REDIS_HOST defaulted to localhost). */
const LOCAL_ADDRESS = /(^|[/@:=\s[])(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|::1)(?=$|[:/\]\s?#])/i;

export function isLocalAddress(value: string): boolean {
  return LOCAL_ADDRESS.test(value);
}

/** `projects/P/secrets/S` or `S` → `S` (Cloud Run accepts both in secretKeyRef.secret). */
export function secretIdOf(ref: string): string {
  const i = ref.lastIndexOf("/secrets/");
  return i >= 0 ? ref.slice(i + "/secrets/".length) : ref;
}

/** How a live var is shown: a reference as `secret ID:VERSION`, a literal quoted unless it looks like a credential. */
function show(v: LiveEnvVar | undefined): string {
  if (!v) return "(unset)";
  if (v.secret) return `secret ${secretIdOf(v.secret)}:${v.version ?? "latest"}`;
  const value = v.value ?? "";
  return literalLooksSecret(v.name, value) ? "a literal that looks like a credential (not shown)" : JSON.stringify(value);
}

export function diffEnv(contract: ServiceConfig["env"], live: LiveEnvVar[], context: DiffContext = {}): EnvDrift[] {
  const byName = new Map(live.map((e) => [e.name, e]));
  const out: EnvDrift[] = [];
  const add = (name: string, kind: DriftKind, expected: string, actual: string, message: string) => out.push({ name, kind, expected, actual, message });
  for (const [name, source] of Object.entries(contract)) {
    const got = byName.get(name);
    const expected = "secret" in source ? `secret ${source.secret}:${source.version}` : "value" in source ? JSON.stringify(source.value) : (context.resolved?.get(source.from) ?? `from ${source.from}`);
    if (!got) {
      add(name, "missing", expected, "(unset)", `${name} missing`);
      continue;
    }
    if ("secret" in source) {
      if (!got.secret) add(name, "literal-for-secret", expected, "a literal", `${name} should reference secret ${source.secret}, has a literal`);
      else if (secretIdOf(got.secret) !== source.secret) add(name, "wrong-secret", expected, show(got), `${name} should reference secret ${source.secret}, has ${secretIdOf(got.secret)}`);
      else if ((got.version ?? "latest") !== source.version) add(name, "wrong-secret-version", expected, show(got), `${name} uses ${source.secret} version ${got.version ?? "latest"}, contract says ${source.version}`);
    } else if (got.secret) {
      const kindOf = "value" in source ? `, contract says ${JSON.stringify(source.value)}` : "";
      add(name, "secret-for-literal", expected, show(got), "value" in source ? `${name} is secret ${got.secret}${kindOf}` : `${name} should come from ${source.from}, has secret ${got.secret}`);
    } else if (isLocalAddress(got.value ?? "") && !("from" in source && context.resolved?.get(source.from) === got.value)) {
      // A local value is drift unless the live project itself resolves the source to it (a fake, an emulator).
      add(name, "local-address", expected, show(got), `${name} is ${show(got)}, a local address: nothing listens there on Cloud Run`);
    } else if ("value" in source) {
      if (got.value !== source.value) add(name, "wrong-value", expected, show(got), `${name} is ${show(got)}, contract says ${JSON.stringify(source.value)}`);
    } else {
      const want = context.resolved?.get(source.from);
      if (want !== undefined && got.value !== want) add(name, "wrong-value", JSON.stringify(want), show(got), `${name} is ${show(got)}, ${source.from} is ${JSON.stringify(want)}`);
    }
  }
  for (const v of live) {
    if (inContract(contract, v.name)) continue;
    out.push({ name: v.name, kind: "unexpected", expected: "(not in the contract)", actual: show(v), message: `${v.name} is not in the contract` });
    if (!v.secret && isLocalAddress(v.value ?? "")) add(v.name, "local-address", "(not in the contract)", show(v), `${v.name} is ${show(v)}, a local address: nothing listens there on Cloud Run`);
  }
  if (context.secrets) for (const v of live) if (v.secret) out.push(...secretVersionDrift(v, context.secrets));
  return out;
}

function inContract(contract: ServiceConfig["env"], name: string): boolean {
  return Object.hasOwn(contract, name);
}

/** A reference whose version cannot be read: the instance fails to start (or a new one will). */
function secretVersionDrift(v: LiveEnvVar, secrets: ReadonlyMap<string, SecretVersions | null>): EnvDrift[] {
  const id = secretIdOf(v.secret ?? "");
  const info = secrets.get(id);
  if (info === undefined) return [];
  const ref = v.version ?? "latest";
  const actual = `secret ${id}:${ref}`;
  if (info === null) return [{ name: v.name, kind: "secret-missing", expected: `secret ${id} exists`, actual, message: `${v.name} references secret ${id}, which does not exist` }];
  if (ref === "latest") {
    const newest = [...info.versions].sort((a, b) => b.number - a.number)[0];
    if (!newest) return [{ name: v.name, kind: "secret-latest-not-enabled", expected: "newest version ENABLED", actual: `${actual} (no versions)`, message: `${v.name} uses ${id}:latest, but ${id} has no versions` }];
    if (newest.state !== "ENABLED") return [{ name: v.name, kind: "secret-latest-not-enabled", expected: "newest version ENABLED", actual: `${actual} → ${newest.number} ${newest.state}`, message: `${v.name} uses ${id}:latest, whose newest version ${newest.number} is ${newest.state}` }];
    return [];
  }
  const number = /^\d+$/.test(ref) ? Number(ref) : info.aliases[ref];
  const version = number === undefined ? undefined : info.versions.find((x) => x.number === number);
  if (!version) return [{ name: v.name, kind: "secret-version-missing", expected: "version ENABLED", actual: `${actual} (no such version)`, message: `${v.name} pins ${id} version ${ref}, which does not exist` }];
  if (version.state === "DISABLED") return [{ name: v.name, kind: "secret-version-disabled", expected: "version ENABLED", actual: `${actual} DISABLED`, message: `${v.name} pins ${id} version ${ref}, which is disabled` }];
  if (version.state === "DESTROYED") return [{ name: v.name, kind: "secret-version-destroyed", expected: "version ENABLED", actual: `${actual} DESTROYED`, message: `${v.name} pins ${id} version ${ref}, which is destroyed` }];
  return [];
}

/** The subset `opsctl health` runs: no resolution of `from:` values, no secret version states. */
export function envDrift(contract: ServiceConfig["env"], revision: RevisionView): string[] {
  return diffEnv(contract, revision.env).map((d) => d.message);
}
