/**
 * Env vars as Cloud Run takes them: a literal/reference `value`, or a Secret Manager reference
 * mounted with `secret_key_ref` (read when an instance starts: a rotation must roll a revision).
 * Names and literals are checked again here, so a construct used without `config validate` still
 * refuses reserved names and secret-looking literals.
 */
import { literalLooksSecret, reservedNameProblem, type WorkloadKind } from "../../config/env-contract.js";
import { isLiteral } from "./validate-props.js";

export type WorkloadEnvVar =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly secret: { readonly secret: string; readonly version: string } };

export function envProblems(env: readonly WorkloadEnvVar[], kind: WorkloadKind): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const v of env) {
    const reserved = reservedNameProblem(v.name, kind);
    if (reserved !== undefined) problems.push(`env ${reserved}`);
    if (seen.has(v.name)) problems.push(`env "${v.name}" is set twice`);
    seen.add(v.name);
    if ("value" in v && isLiteral(v.value)) {
      const secret = literalLooksSecret(v.name, v.value);
      if (secret !== undefined) problems.push(`env ${secret}`);
    }
  }
  return problems;
}

/** The container `env` blocks, sorted by name so synth output is stable. */
export function toContainerEnv(env: readonly WorkloadEnvVar[]) {
  return [...env]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((v) => ("value" in v ? { name: v.name, value: v.value } : { name: v.name, valueSource: { secretKeyRef: { secret: v.secret.secret, version: v.secret.version } } }));
}
