/** Durations as operators type them: 90s, 30m, 24h, 7d. */
import { usageError } from "../core/errors.js";

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw usageError(`${flag} ${JSON.stringify(text)} is not a duration`, "use a number and a unit: 90s, 30m, 24h, 7d");
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export function formatAge(ms: number): string {
  const abs = Math.abs(ms);
  const text = abs >= 86_400_000 ? `${Math.floor(abs / 86_400_000)}d` : abs >= 3_600_000 ? `${Math.floor(abs / 3_600_000)}h` : `${Math.floor(abs / 60_000)}m`;
  return ms < 0 ? `-${text}` : text;
}
