/**
 * Which stacks a synthesized directory holds and in which order to run them. The CDKTF manifest
 * (`<synth dir>/manifest.json`, `stacks.<name>.workingDirectory` and `.dependencies`) is the source
 * of truth; without one, the stacks under `<synth dir>/stacks/` run in the layer order of the design
 * (network → data → services), because dependencies only point down that list.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { didYouMean } from "../../../config/did-you-mean.js";
import { usageError } from "../../core/errors.js";

/** The layer order of DESIGN.md "Stacks and destroy order": used to break ties and without a manifest. */
export const DEFAULT_STACK_ORDER = ["network", "data", "services", "ops"] as const;

export interface SynthStack {
  name: string;
  /** absolute path of the stack's Terraform working directory */
  workingDirectory: string;
  /** names of the stacks this one reads from (must be applied first, destroyed after) */
  dependencies: string[];
}

export interface StackOrder {
  /** stacks in apply order (dependencies first) */
  stacks: SynthStack[];
  source: "manifest" | "default-order";
}

interface ManifestStack {
  workingDirectory?: unknown;
  dependencies?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readManifestStacks(file: string): Record<string, ManifestStack> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw usageError(`${file} is not valid JSON: ${(err as Error).message}`, "re-run `opsctl synth --env <env>` to regenerate the synthesized stacks");
  }
  if (!isRecord(parsed) || !isRecord(parsed.stacks)) {
    throw usageError(`${file} has no "stacks" object: not a CDKTF manifest`, "re-run `opsctl synth --env <env>` to regenerate the synthesized stacks");
  }
  const out: Record<string, ManifestStack> = {};
  for (const [name, stack] of Object.entries(parsed.stacks)) out[name] = isRecord(stack) ? stack : {};
  return out;
}

/** Rank for tie-breaking: the default layers first in their order, then everything else by name. */
function layerRank(name: string): number {
  const i = (DEFAULT_STACK_ORDER as readonly string[]).indexOf(name);
  return i === -1 ? DEFAULT_STACK_ORDER.length : i;
}

function byLayerThenName(a: string, b: string): number {
  return layerRank(a) - layerRank(b) || a.localeCompare(b);
}

/**
 * Kahn's algorithm with a deterministic tie-break. A cycle is a usage error that names its path
 * (seed 001: cross-stack references created a cycle nobody could see).
 */
export function topologicalOrder(dependencies: ReadonlyMap<string, readonly string[]>): string[] {
  for (const [name, deps] of dependencies) {
    for (const dep of deps) {
      if (!dependencies.has(dep)) {
        throw usageError(`stack "${name}" depends on "${dep}", which the manifest does not list${didYouMean(dep, dependencies.keys())}`, "re-run `opsctl synth` so the manifest and the stacks agree");
      }
    }
  }
  const remaining = new Map([...dependencies].map(([name, deps]) => [name, new Set(deps)]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([name]) => name).sort(byLayerThenName);
    const next = ready[0];
    if (next === undefined) throw usageError(`the stacks depend on each other in a cycle: ${findCycle(remaining).join(" → ")}`, "stacks must only depend downwards (network → data → services); remove the reference that points back up");
    order.push(next);
    remaining.delete(next);
    for (const deps of remaining.values()) deps.delete(next);
  }
  return order;
}

function findCycle(remaining: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const start = [...remaining.keys()].sort(byLayerThenName)[0] ?? "";
  const path: string[] = [];
  let current = start;
  while (!path.includes(current)) {
    path.push(current);
    current = [...(remaining.get(current) ?? [])].sort(byLayerThenName)[0] ?? start;
  }
  return [...path.slice(path.indexOf(current)), current];
}

/** Reads the synthesized directory and returns its stacks in apply order. */
export function readStackOrder(synthDir: string): StackOrder {
  const root = resolve(synthDir);
  if (!existsSync(root)) throw usageError(`no synthesized stacks in ${synthDir}`, "run `opsctl synth --env <env>` first (or pass --synth-dir DIR)");
  const manifestFile = join(root, "manifest.json");
  if (existsSync(manifestFile)) {
    const manifest = readManifestStacks(manifestFile);
    const deps = new Map<string, string[]>();
    for (const [name, stack] of Object.entries(manifest)) {
      deps.set(name, Array.isArray(stack.dependencies) ? stack.dependencies.filter((d): d is string => typeof d === "string") : []);
    }
    const stacks = topologicalOrder(deps).map((name) => {
      const dir = manifest[name]?.workingDirectory;
      return { name, workingDirectory: join(root, typeof dir === "string" ? dir : join("stacks", name)), dependencies: deps.get(name) ?? [] };
    });
    if (stacks.length === 0) throw usageError(`${manifestFile} lists no stacks`, "re-run `opsctl synth --env <env>`");
    const missing = stacks.filter((s) => !existsSync(s.workingDirectory));
    if (missing.length > 0) {
      throw usageError(`${manifestFile} lists stacks whose directory is missing: ${missing.map((s) => `${s.name} (${s.workingDirectory})`).join(", ")}`, "re-run `opsctl synth --env <env>` so the manifest and the stacks agree");
    }
    return { stacks, source: "manifest" };
  }
  const stacksDir = join(root, "stacks");
  const names = existsSync(stacksDir)
    ? readdirSync(stacksDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(stacksDir, e.name, "cdk.tf.json")))
        .map((e) => e.name)
        .sort(byLayerThenName)
    : [];
  if (names.length === 0) throw usageError(`no synthesized stacks in ${synthDir} (no manifest.json, no stacks/<name>/cdk.tf.json)`, "run `opsctl synth --env <env>` first (or pass --synth-dir DIR)");
  return { stacks: names.map((name) => ({ name, workingDirectory: join(stacksDir, name), dependencies: [] })), source: "default-order" };
}

/** Narrows the order to one stack (--stack), with a did-you-mean for typos. */
export function selectStacks(order: StackOrder, only: string | undefined): SynthStack[] {
  if (only === undefined) return order.stacks;
  const hit = order.stacks.find((s) => s.name === only);
  if (!hit) {
    const names = order.stacks.map((s) => s.name);
    throw usageError(`unknown stack "${only}"${didYouMean(only, names)}`, `the synthesized stacks are: ${names.join(", ")}`);
  }
  return [hit];
}
