/**
 * Refuses to run terraform on stacks synthesized for another environment: `cdktf.out/` holds whatever
 * was synthesized last, and applying yesterday's dev synth with `--env prod` must not happen. The
 * synthesized GCS backend bucket of each stack has to be the one the environment's config names.
 * Stacks with another backend (local, in tests) or none are not checked.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../../config/schema.js";
import { usageError } from "../../core/errors.js";
import type { SynthStack } from "./stack-order.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** terraform.backend.gcs.bucket of a synthesized stack, when it has one. */
export function synthesizedGcsBucket(stack: SynthStack): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(join(stack.workingDirectory, "cdk.tf.json"), "utf8"));
  } catch {
    return undefined; // terraform itself reports a missing or broken file, with its position
  }
  const tf = isRecord(doc) ? doc.terraform : undefined;
  const backend = isRecord(tf) ? tf.backend : undefined;
  const gcs = isRecord(backend) ? backend.gcs : undefined;
  return isRecord(gcs) && typeof gcs.bucket === "string" ? gcs.bucket : undefined;
}

export function assertSynthesizedForEnvironment(stacks: readonly SynthStack[], config: EnvironmentConfig, synthDir: string): void {
  if (config.backend.type !== "gcs") return;
  const expected = config.backend.bucket;
  const wrong = stacks.map((s) => ({ name: s.name, bucket: synthesizedGcsBucket(s) })).filter((s) => s.bucket !== undefined && s.bucket !== expected);
  if (wrong.length === 0) return;
  throw usageError(
    `${synthDir} was not synthesized for environment ${config.environment}: ${wrong.map((w) => `stack ${w.name} keeps its state in gs://${w.bucket}`).join(", ")}, but the config says gs://${expected}`,
    `re-run \`opsctl synth --env ${config.environment}\` (or pass --synth-dir with that environment's output)`,
  );
}
