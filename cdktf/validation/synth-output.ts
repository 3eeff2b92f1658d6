/**
 * Reads a cdktf output directory (manifest.json + stacks/<stack>/cdk.tf.json) into plain views the
 * rules evaluate, and resolves references between resources, including one cross-stack hop
 * (terraform_remote_state outputs), so a rule can tell which topic a subscription points at.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Stage } from "./types.js";

type Json = Record<string, unknown>;

export interface Suppression {
  id: string;
  reason: string;
}

export interface ResourceView {
  stack: string;
  type: string;
  name: string;
  /** type.name */
  address: string;
  /** construct path, e.g. data/topic-audit-events/topic */
  path: string;
  values: Json;
  suppressions: Suppression[];
  /** opsctl metadata recorded at synth (e.g. ingressReason) */
  meta: Json;
}

export interface StackView {
  name: string;
  file: string;
  json: Json;
  stage: Stage;
  dependencies: string[];
  resources: ResourceView[];
}

export interface SynthOutput {
  dir: string;
  stacks: StackView[];
}

export class SynthOutputError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

export function readSynthOutput(dir: string): SynthOutput {
  const stacksDir = join(dir, "stacks");
  if (!existsSync(stacksDir)) throw new SynthOutputError(`${dir} holds no synthesized stacks (no stacks/ directory)`, "run `opsctl synth --env <env>` first, or pass the directory cdktf wrote");
  const manifestFile = join(dir, "manifest.json");
  const manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, "utf8")) as { stacks?: Record<string, { dependencies?: string[] }> }) : {};
  const stacks: StackView[] = [];
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, "cdk.tf.json");
    if (!existsSync(file)) continue;
    let json: Json;
    try {
      json = JSON.parse(readFileSync(file, "utf8")) as Json;
    } catch (err) {
      throw new SynthOutputError(`${file} is not valid JSON: ${(err as Error).message}`, "re-run `opsctl synth`");
    }
    stacks.push(stackView(name, file, json, manifest.stacks?.[name]?.dependencies ?? []));
  }
  if (stacks.length === 0) throw new SynthOutputError(`${stacksDir} contains no stacks/<name>/cdk.tf.json`, "run `opsctl synth --env <env>` first");
  return { dir, stacks };
}

export function stackView(name: string, file: string, json: Json, dependencies: string[]): StackView {
  const top = isObject(json["//"]) ? json["//"] : {};
  const opsctl = isObject(top.opsctl) ? top.opsctl : {};
  const stage = opsctl.stage === "dev" || opsctl.stage === "staging" ? opsctl.stage : "prod";
  const resources: ResourceView[] = [];
  const byType = isObject(json.resource) ? json.resource : {};
  for (const [type, instances] of Object.entries(byType)) {
    if (!isObject(instances)) continue;
    for (const [rname, values] of Object.entries(instances)) {
      if (!isObject(values)) continue;
      const meta = isObject(values["//"]) ? values["//"] : {};
      const metadata = isObject(meta.metadata) ? meta.metadata : {};
      const own = isObject(meta.opsctl) ? meta.opsctl : {};
      const suppressions = Array.isArray(own.suppressions)
        ? own.suppressions.filter(isObject).map((s) => ({ id: String(s.id ?? ""), reason: typeof s.reason === "string" ? s.reason : "" }))
        : [];
      resources.push({ stack: name, type, name: rname, address: `${type}.${rname}`, path: typeof metadata.path === "string" ? metadata.path : `${name}/${rname}`, values, suppressions, meta: own });
    }
  }
  return { name, file, json, stage, dependencies, resources };
}

/**
 * The resource an expression such as "${google_pubsub_topic.x.id}" points at, following a
 * terraform_remote_state output to the stack that declares it. Undefined for literals.
 */
export function referencedResource(output: SynthOutput, stack: StackView, expression: unknown): ResourceView | undefined {
  if (typeof expression !== "string") return undefined;
  const local = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(expression);
  if (local) return stack.resources.find((r) => r.type === local[1] && r.name === local[2]);
  const remote = /^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.([^}]+)\}$/.exec(expression);
  if (!remote?.[1]) return undefined;
  for (const other of output.stacks) {
    const outputs = isObject(other.json.output) ? other.json.output : {};
    const out = outputs[remote[1]];
    if (isObject(out) && other !== stack) return referencedResource(output, other, out.value);
  }
  return undefined;
}

export function allResources(output: SynthOutput): ResourceView[] {
  return output.stacks.flatMap((s) => s.resources);
}

export function stackOf(output: SynthOutput, resource: ResourceView): StackView {
  return output.stacks.find((s) => s.name === resource.stack) as StackView;
}
