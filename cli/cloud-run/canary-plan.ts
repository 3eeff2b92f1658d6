/** The plan of a health-gated canary: validated steps, bake time, gates. Pure, shown by --dry-run. */
import type { ServiceConfig } from "../../config/schema.js";
import { usageError } from "../core/errors.js";

export interface CanaryStep {
  percent: number;
  /** bake after reaching this step (0 for the final 100% step: nothing left to protect) */
  bakeMs: number;
}

export interface CanaryPlan {
  image: string;
  tag: string;
  readyTimeoutMs: number;
  steps: CanaryStep[];
  /** probes of the candidate spread over each bake */
  probesPerBake: number;
  maxErrorRate: number;
  maxP95Ms: number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string, what = "duration"): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m?.[1] || !m[2]) throw usageError(`invalid ${what} "${text}"`, "use a number with a unit: 500ms, 30s, 2m, 1h");
  return Number(m[1]) * (UNIT_MS[m[2]] ?? 1);
}

/** 300ms, 45s, 2m, 1h30m: for plans and logs. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 60_000) return `${Math.round(ms / 1_000)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1_000);
  return m >= 60 ? `${Math.floor(m / 60)}h${m % 60 ? `${m % 60}m` : ""}` : `${m}m${s ? `${s}s` : ""}`;
}

export function parseSteps(text: string | number[]): number[] {
  const steps = Array.isArray(text) ? text : text.split(",").map((s) => Number(s.trim()));
  if (steps.length === 0 || steps.some((s) => !Number.isInteger(s) || s < 1 || s > 100)) throw usageError(`invalid --steps "${String(text)}"`, "give increasing percentages between 1 and 100, e.g. 10,50,100");
  for (let i = 1; i < steps.length; i++) if ((steps[i] ?? 0) <= (steps[i - 1] ?? 0)) throw usageError(`--steps must increase: ${steps.join(",")}`, "e.g. 10,50,100");
  if (steps.at(-1) !== 100) steps.push(100);
  return steps;
}

export function planCanary(service: ServiceConfig, input: { image: string; steps?: string; bake?: string; tag?: string; readyTimeout?: string; probesPerBake?: number }): CanaryPlan {
  const d = service.deploy;
  const steps = parseSteps(input.steps ?? d.steps);
  const bakeMs = parseDuration(input.bake ?? d.bake, "--bake");
  return {
    image: input.image,
    tag: input.tag ?? d.candidateTag,
    readyTimeoutMs: parseDuration(input.readyTimeout ?? d.readyTimeout, "--ready-timeout"),
    steps: steps.map((percent) => ({ percent, bakeMs: percent === 100 ? 0 : bakeMs })),
    probesPerBake: input.probesPerBake ?? 10,
    maxErrorRate: d.maxErrorRate,
    maxP95Ms: d.maxP95Ms,
  };
}
