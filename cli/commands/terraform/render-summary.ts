/**
 * The summary as people read it: an aligned table in the terminal, a Markdown table (plus each
 * stack's plan text, folded) for CI job summaries such as $GITHUB_STEP_SUMMARY.
 */
import { appendFileSync } from "node:fs";
import { formatTable } from "../../core/output.js";
import type { PlanSummary } from "./plan-summary.js";

export function renderSummaryTable(summary: PlanSummary): string {
  const rows = summary.stacks.map((s) => [s.name, s.status, s.add, s.change, s.destroy]);
  rows.push(["total", "", summary.totals.add, summary.totals.change, summary.totals.destroy]);
  return formatTable(["stack", "status", "add", "change", "destroy"], rows);
}

export function renderHuman(summary: PlanSummary, nextStep?: string): string {
  const title = `${summary.operation}${summary.dryRun && summary.operation !== "plan" ? " (dry run)" : ""} · environment ${summary.environment} · ${summary.terraform.binary}${summary.terraform.version ? ` ${summary.terraform.version}` : ""}`;
  return [title, "", renderSummaryTable(summary), ...(nextStep ? ["", nextStep] : [])].join("\n");
}

const MAX_PLAN_TEXT = 60_000;

export function renderMarkdown(summary: PlanSummary, planTexts: ReadonlyMap<string, string>): string {
  const lines = [
    `### opsctl ${summary.operation}${summary.dryRun && summary.operation !== "plan" ? " (dry run)" : ""}: ${summary.environment}`,
    "",
    "| stack | status | add | change | destroy |",
    "|---|---|---:|---:|---:|",
    ...summary.stacks.map((s) => `| ${s.name} | ${s.status} | ${s.add} | ${s.change} | ${s.destroy} |`),
    `| **total** | | ${summary.totals.add} | ${summary.totals.change} | ${summary.totals.destroy} |`,
    "",
  ];
  for (const s of summary.stacks) {
    const text = planTexts.get(s.name);
    if (!text) continue;
    const body = text.length > MAX_PLAN_TEXT ? `${text.slice(0, MAX_PLAN_TEXT)}\n… (truncated; the full plan is ${s.workingDirectory}/${s.planFile ?? ""})` : text;
    lines.push(`<details><summary>${s.name}: terraform plan</summary>`, "", "```text", body.trimEnd(), "```", "", "</details>", "");
  }
  return lines.join("\n");
}

/** Appends (GitHub's job summary file is shared by every step of the job). */
export function appendMarkdown(file: string, markdown: string): void {
  appendFileSync(file, `${markdown}\n`);
}
