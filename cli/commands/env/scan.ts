import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { didYouMean } from "../../../config/did-you-mean.js";
import type { EnvironmentConfig, EnvSource } from "../../../config/schema.js";
import { booleanOption, type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { usageError } from "../../core/errors.js";
import { formatTable } from "../../core/output.js";
import { type Contract, compareWithContract, type ScannedVar } from "./compare-contract.js";
import { type DynamicRead, type EnvRead, languageOf, scanSource } from "./source-readers.js";
import { sourceYaml, suggestSource } from "./suggest-source.js";

export interface EnvScanResult {
  dir: string;
  files: number;
  /** the workloads compared with, empty without a configuration */
  comparedWith: string[];
  vars: ScannedVar[];
  dynamicReads: DynamicRead[];
  notWired: string[];
  notRead: string[];
  /** the contract snippet that wires what is missing (--suggest) */
  suggestion?: string;
}

const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "build", "target", "vendor", "venv", ".venv", "__pycache__", ".tox", ".mypy_cache", ".next", "coverage", ".cache"]);
const MAX_FILE_BYTES = 2_000_000;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* sourceFiles(path);
    } else if (entry.isFile() && languageOf(entry.name) !== undefined) yield path;
  }
}

function contractOf(config: EnvironmentConfig, service: string | undefined): Contract {
  const all: Record<string, Record<string, EnvSource>> = {};
  for (const [name, s] of Object.entries(config.services)) all[name] = s.env;
  for (const [name, j] of Object.entries(config.jobs)) all[name] ??= j.env;
  if (service === undefined) return { workloads: all };
  if (!(service in all)) throw usageError(`no service or job "${service}" in ${config.environment}${didYouMean(service, Object.keys(all))}`, `workloads: ${Object.keys(all).join(", ") || "(none)"}`);
  return { workloads: { [service]: all[service] ?? {} } };
}

export async function run({ args, options, ctx }: CommandInput): Promise<CommandResult<EnvScanResult>> {
  const dir = args[0] ?? "";
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`${dir || "(none)"} is not a directory`, "pass the application's source directory, e.g. opsctl env scan ./src --env prod --service worker");
  const service = stringOption(options, "service");
  const hasConfig = ctx.global.env !== undefined || ctx.global.config !== undefined;
  if (service !== undefined && !hasConfig) throw usageError("--service needs an environment", "add --env NAME (or --config FILE) to compare with that service's contract");
  const config = hasConfig ? await ctx.loadConfig() : undefined;
  const contract = config ? contractOf(config, service) : undefined;

  const reads: EnvRead[] = [];
  const dynamicReads: DynamicRead[] = [];
  let files = 0;
  for (const file of sourceFiles(dir)) {
    if (ctx.signal.aborted) break;
    if (statSync(file).size > MAX_FILE_BYTES) continue;
    files++;
    const scanned = scanSource(relative(dir, file) || file, readFileSync(file, "utf8"));
    reads.push(...scanned.reads);
    dynamicReads.push(...scanned.dynamic);
  }
  const vars = compareWithContract(reads, contract);
  const notWired = vars.filter((v) => v.status === "not-wired").map((v) => v.name);
  const notRead = vars.filter((v) => v.status === "not-read").map((v) => v.name);
  const result: EnvScanResult = { dir, files, comparedWith: Object.keys(contract?.workloads ?? {}), vars, dynamicReads, notWired, notRead };

  if (booleanOption(options, "suggest") && config && contract && notWired.length > 0) {
    const workload = service ?? "<service>";
    const isJob = service !== undefined && !(service in config.services);
    const wired: Record<string, EnvSource> = Object.assign({}, ...Object.values(contract.workloads));
    const lines = [`${isJob ? "jobs" : "services"}:`, `  ${workload}:`, "    env:"];
    for (const name of notWired) {
      const s = suggestSource(name, config, wired);
      lines.push(`      ${name}: ${sourceYaml(s.source)}   # ${s.why}`);
    }
    result.suggestion = lines.join("\n");
  }

  const table = formatTable(
    ["VAR", "STATUS", "READ AT", "WIRED IN", "NOTE"],
    vars.map((v) => [v.name, v.status, v.readAt[0] ? `${v.readAt[0]}${v.readAt.length > 1 ? ` +${v.readAt.length - 1}` : ""}` : "-", v.wiredIn.join(",") || "-", v.note ?? ""]),
  );
  const summary = contract
    ? `${files} files, ${vars.filter((v) => v.status !== "not-read").length} vars read; compared with ${result.comparedWith.join(", ") || "(no workloads)"}: ${notWired.length} read but not wired, ${notRead.length} wired but not read`
    : `${files} files, ${vars.length} vars read (pass --env/--config and --service to compare with the env contract)`;
  const parts = [table, "", summary];
  if (dynamicReads.length > 0) parts.push("", `${dynamicReads.length} read(s) with a computed name (check by hand):`, ...dynamicReads.map((d) => `  ${d.file}:${d.line}  ${d.expression}`));
  if (result.suggestion) parts.push("", `Add to config/${config?.environment ?? "<env>"}.yaml:`, "", result.suggestion);
  return { data: result, human: parts.join("\n"), exitCode: notWired.length > 0 ? 1 : 0 };
}
