/**
 * Synth from any input: the schema gives shape and defaults (every bad field with its path), then
 * app.ts builds and checks the wiring. Used by tests with raw objects and by `cdktf synth`.
 */
import type { App } from "cdktf";
import { type EnvironmentConfig, environmentSchema } from "../config/schema.js";
import { buildStacks, type EnvironmentApp, synthStacks } from "./app.js";
import { SynthInputError } from "./synth-input-error.js";

export { SynthInputError } from "./synth-input-error.js";
export { synthesize } from "./app.js";

/** The stacks of one environment in `app`, from raw input. */
export function buildEnvironment(app: App, input: unknown): EnvironmentApp {
  return buildStacks(app, parseEnvironment(input));
}

/** Parses, builds and writes one environment's Terraform JSON to `outdir`. */
export function synthEnvironment(input: unknown, outdir: string): EnvironmentApp {
  return synthStacks(parseEnvironment(input), outdir);
}

export function parseEnvironment(input: unknown): EnvironmentConfig {
  const parsed = environmentSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
  throw new SynthInputError(`the environment document does not match the schema:\n  ${problems.join("\n  ")}`, problems);
}
