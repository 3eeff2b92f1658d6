/**
 * Finds, parses and validates an environment document. Returns every problem (schema and
 * cross-field) with its dot-path; never throws for a bad document, only for an unreadable file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { didYouMean } from "./did-you-mean.js";
import { type ConfigIssue, checkConfigRules } from "./rules.js";
import { type EnvironmentConfig, environmentSchema } from "./schema.js";

export type { ConfigIssue } from "./rules.js";

export const CONFIG_EXTENSIONS = [".yaml", ".yml", ".json"] as const;

export interface LoadedConfig {
  file: string;
  /** present when there is no error (warnings allowed) */
  config: EnvironmentConfig | undefined;
  issues: ConfigIssue[];
}

export class ConfigFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The config directory: OPSCTL_CONFIG_DIR, else ./config under the working directory. */
export function configDir(cwd = process.cwd()): string {
  return resolve(cwd, process.env.OPSCTL_CONFIG_DIR ?? "config");
}

export function listEnvironments(dir = configDir()): string[] {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir).flatMap((file) => {
    const ext = CONFIG_EXTENSIONS.find((e) => file.endsWith(e));
    const name = ext === undefined ? "" : basename(file, ext);
    // Only environment documents: skips environment.schema.json and editor backups.
    return /^[a-z][a-z0-9-]*$/.test(name) ? [name] : [];
  });
  return [...new Set(names)].sort();
}

/** Resolve `--env NAME` to config/NAME.yaml|yml|json. */
export function environmentFile(env: string, dir = configDir()): string {
  if (!/^[a-z][a-z0-9-]*$/.test(env)) {
    throw new ConfigFileError(`"${env}" is not an environment name`, dir, "environment names are lowercase, e.g. dev, staging, prod");
  }
  for (const ext of CONFIG_EXTENSIONS) {
    const candidate = join(dir, `${env}${ext}`);
    if (existsSync(candidate)) return candidate;
  }
  const known = existsSync(dir) ? listEnvironments(dir) : [];
  throw new ConfigFileError(
    `no config for environment "${env}" in ${dir}${didYouMean(env, known)}`,
    dir,
    known.length > 0 ? `known environments: ${known.join(", ")}` : "create config/<env>.yaml or pass --config FILE",
  );
}

export function parseConfigText(text: string, file: string): unknown {
  try {
    return extname(file) === ".json" ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new ConfigFileError(`${file} is not valid ${extname(file) === ".json" ? "JSON" : "YAML"}: ${(err as Error).message}`, file, "fix the syntax error at the position shown", { cause: err });
  }
}

export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigFileError(`cannot read config file ${file}`, file, "check the path given to --config or --env", { cause: err });
  }
  const loaded = validateConfig(parseConfigText(text, file), file);
  const expected = basename(file, extname(file));
  if (loaded.config && loaded.config.environment !== expected) {
    loaded.issues.push({ path: "environment", severity: "warning", message: `"${loaded.config.environment}" differs from the file name "${expected}"` });
  }
  return loaded;
}

export function validateConfig(raw: unknown, file = "<inline>"): LoadedConfig {
  const parsed = environmentSchema.safeParse(raw);
  if (parsed.success) {
    const issues = checkConfigRules(parsed.data);
    const hasError = issues.some((i) => i.severity === "error");
    return { file, config: hasError ? undefined : parsed.data, issues };
  }
  const schemaIssues = parsed.error.issues.map((i) => describeIssue(i, raw));
  // Report every problem at once: drop the fields that failed the schema (defaults take their place)
  // and run the cross-field rules on what remains, keeping only findings away from dropped fields.
  const dropped = parsed.error.issues.map((i) => i.path);
  const healed = healedDocument(raw, dropped);
  const crossField = healed === undefined ? [] : checkConfigRules(healed).filter((i) => !dropped.some((p) => overlaps(dotPath(p), i.path)));
  return { file, config: undefined, issues: [...schemaIssues, ...crossField] };
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`) || a === "(root)" || b === "(root)";
}

/** The document with every failing field removed, re-parsed; undefined when it still fails. */
function healedDocument(raw: unknown, paths: ReadonlyArray<readonly PropertyKey[]>): EnvironmentConfig | undefined {
  let copy: unknown = structuredClone(raw);
  let pending = paths;
  for (let round = 0; round < 3 && pending.length > 0; round++) {
    for (const path of pending) {
      if (path.length === 0) return undefined;
      const parent = valueAt(copy, path.slice(0, -1));
      if (parent !== null && typeof parent === "object") delete (parent as Record<PropertyKey, unknown>)[path[path.length - 1] as PropertyKey];
    }
    const again = environmentSchema.safeParse(copy);
    if (again.success) return again.data;
    pending = again.error.issues.map((i) => i.path);
    copy = structuredClone(copy);
  }
  return undefined;
}

function dotPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".") || "(root)";
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node = raw;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

type AnySchema = z.core.$ZodType;

/** The object keys a schema accepts at a path (through optional/default/record/array/union). */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let nodes: AnySchema[] = [environmentSchema as unknown as AnySchema];
  for (const segment of [...path, undefined]) {
    const next: AnySchema[] = [];
    const unwrap = (s: AnySchema): AnySchema[] => {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault") return unwrap(def.innerType as AnySchema);
      if (def.type === "pipe") return unwrap(def.in as AnySchema);
      if (def.type === "union") return (def.options as AnySchema[]).flatMap(unwrap);
      return [s];
    };
    const flat = nodes.flatMap(unwrap);
    if (segment === undefined) {
      return flat.flatMap((s) => {
        const def = s._zod.def as unknown as { type: string; shape?: Record<string, unknown> };
        return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
      });
    }
    for (const s of flat) {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === "object") {
        const child = (def.shape as Record<string, AnySchema>)[String(segment)];
        if (child) next.push(child);
      } else if (def.type === "record") next.push(def.valueType as AnySchema);
      else if (def.type === "array") next.push(def.element as AnySchema);
    }
    nodes = next;
  }
  return [];
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): ConfigIssue {
  const path = dotPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(issue.path);
    const parts = issue.keys.map((k) => `unknown field "${k}"${didYouMean(k, known)}`);
    return { path, severity: "error", message: parts.join("; ") };
  }
  if (issue.code === "invalid_union") {
    const value = valueAt(raw, issue.path);
    if (issue.path.includes("env") && value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      const hint = keys.map((k) => didYouMean(k, ["from", "secret", "version", "value"])).find((s) => s !== "") ?? "";
      return { path, severity: "error", message: `expected one of { from: ... }, { secret: ..., version: ... } or { value: ... }, got keys [${keys.join(", ")}]${hint}` };
    }
    const options = knownKeysAt(issue.path);
    return { path, severity: "error", message: `does not match any accepted shape${options.length ? ` (fields: ${[...new Set(options)].join(", ")})` : ""}` };
  }
  if (issue.code === "invalid_value" && "values" in issue) {
    const got = valueAt(raw, issue.path);
    const values = issue.values.map(String);
    const hint = typeof got === "string" ? didYouMean(got, values) : "";
    return { path, severity: "error", message: `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}${got === undefined ? "" : `, got ${JSON.stringify(got)}`}${hint}` };
  }
  if (issue.code === "invalid_type" && valueAt(raw, issue.path) === undefined) {
    return { path, severity: "error", message: `required ${issue.expected} is missing` };
  }
  return { path, severity: "error", message: issue.message };
}
