/**
 * Construct props are validated first, from a small table of checks, and every failure is reported
 * together. Values that are unresolved tokens (references known only at apply) are skipped.
 */
import { Token } from "cdktf";

export type PropCheck = readonly [ok: boolean, message: string];

export class PropsError extends Error {
  constructor(
    readonly construct: string,
    readonly problems: string[],
  ) {
    super(`${construct}: invalid props:\n  ${problems.join("\n  ")}`);
    this.name = "PropsError";
  }
}

export function validateProps(construct: string, checks: readonly PropCheck[]): void {
  const problems = checks.filter(([ok]) => !ok).map(([, message]) => message);
  if (problems.length > 0) throw new PropsError(construct, problems);
}

/** True when the value is a literal we can check (not a token resolved at apply time). */
export function isLiteral(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

/** "30s", "10m", "7d" → "<seconds>s", the duration format of Google APIs. */
export function toSeconds(duration: string): string {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(duration);
  if (!match) throw new Error(`"${duration}" is not a duration such as 30s, 10m, 7d`);
  const n = Number(match[1]);
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "ms" | "s" | "m" | "h" | "d"];
  return `${n * factor}s`;
}
