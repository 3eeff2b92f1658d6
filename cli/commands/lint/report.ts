/**
 * What synth and lint print: the stacks with their resources, then the findings. Reads only the
 * synthesized JSON (cdktf/validation), never the stacks or the provider bindings.
 */
import { blocking, formatFinding, lintDirectory } from "../../../cdktf/validation/run-rules.js";
import { SynthOutputError } from "../../../cdktf/validation/synth-output.js";
import type { Finding } from "../../../cdktf/validation/types.js";
import type { CommandResult } from "../../core/command.js";
import { OpsError } from "../../core/errors.js";
import { ExitCode } from "../../core/exit-codes.js";

export interface StackSummary {
  name: string;
  file: string;
  stage: string;
  dependsOn: string[];
  resourceCount: number;
  resources: Record<string, number>;
}

export interface PolicyReport {
  dir: string;
  stacks: StackSummary[];
  findings: Finding[];
  summary: { errors: number; warnings: number; suppressed: number };
}

export function policyReport(dir: string): PolicyReport {
  let result: ReturnType<typeof lintDirectory>;
  try {
    result = lintDirectory(dir);
  } catch (err) {
    if (err instanceof SynthOutputError) throw new OpsError(err.message, { code: "no_synth_output", exitCode: ExitCode.usage, hint: err.hint, runbook: "synth-refused" });
    throw err;
  }
  const stacks = result.output.stacks.map((s) => {
    const resources: Record<string, number> = {};
    for (const r of s.resources) resources[r.type] = (resources[r.type] ?? 0) + 1;
    return { name: s.name, file: s.file, stage: s.stage, dependsOn: [...s.dependencies].sort(), resourceCount: s.resources.length, resources };
  });
  const findings = result.findings;
  const errors = blocking(findings).length;
  return {
    dir,
    stacks,
    findings,
    summary: { errors, warnings: findings.filter((f) => f.level === "warning" && f.suppressed === undefined).length, suppressed: findings.filter((f) => f.suppressed !== undefined).length },
  };
}

export function renderReport(report: PolicyReport): string {
  const width = Math.max(5, ...report.stacks.map((s) => s.name.length));
  const lines = [`${"stack".padEnd(width)}  resources  depends on`];
  for (const s of report.stacks) lines.push(`${s.name.padEnd(width)}  ${String(s.resourceCount).padStart(9)}  ${s.dependsOn.join(", ") || "-"}`);
  for (const s of report.stacks) {
    lines.push("", `${s.name} (${s.file}):`);
    for (const [type, count] of Object.entries(s.resources).sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${String(count).padStart(3)}  ${type}`);
  }
  lines.push("", `policy: ${report.summary.errors} error(s), ${report.summary.warnings} warning(s), ${report.summary.suppressed} suppressed (rules: cdktf/validation/RULES.md)`);
  for (const f of report.findings) lines.push(formatFinding(f));
  return lines.join("\n");
}

export function reportResult(report: PolicyReport): CommandResult<PolicyReport> {
  return { data: report, human: renderReport(report), exitCode: report.summary.errors > 0 ? 1 : 0 };
}
