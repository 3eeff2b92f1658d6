/**
 * Runs the pack over a synthesized output. A suppression (recorded on the resource by
 * `suppressRule`) silences a rule only when it carries a reason; one without a reason is itself
 * reported.
 */
import { RULES } from "./pack.js";
import { readSynthOutput, type SynthOutput } from "./synth-output.js";
import { type Finding, type Outcome, type PolicyRule, severityOf } from "./types.js";

export const MIN_REASON_LENGTH = 10;

function detailOf(outcome: Outcome): string | undefined {
  if (typeof outcome === "object") return outcome.detail;
  return outcome === "NON_COMPLIANT" ? "" : undefined;
}

export function evaluate(output: SynthOutput, rules: readonly PolicyRule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  for (const stack of output.stacks) {
    for (const rule of rules) {
      const level = severityOf(rule.info, stack.stage);
      if (rule.scope === "stack") {
        const detail = detailOf(rule.check(stack, output));
        if (detail !== undefined) findings.push({ rule: rule.info.id, level, stack: stack.name, address: stack.name, path: stack.name, message: `${rule.info.cause}${detail ? `: ${detail}` : ""}` });
        continue;
      }
      for (const resource of stack.resources) {
        const detail = detailOf(rule.check(resource, output));
        if (detail === undefined) continue;
        const finding: Finding = { rule: rule.info.id, level, stack: stack.name, address: resource.address, path: resource.path, message: `${rule.info.cause}${detail ? `: ${detail}` : ""}` };
        const suppression = resource.suppressions.find((s) => s.id === rule.info.id);
        if (suppression && suppression.reason.trim().length >= MIN_REASON_LENGTH) finding.suppressed = suppression.reason;
        else if (suppression) finding.message += ` (a suppression was recorded without a reason of at least ${MIN_REASON_LENGTH} characters, so it is ignored)`;
        findings.push(finding);
      }
    }
  }
  return findings;
}

export function lintDirectory(dir: string): { output: SynthOutput; findings: Finding[] } {
  const output = readSynthOutput(dir);
  return { output, findings: evaluate(output) };
}

/** Findings that fail the build: errors that are not suppressed. */
export function blocking(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.level === "error" && f.suppressed === undefined);
}

export function formatFinding(f: Finding): string {
  const tag = f.suppressed !== undefined ? "suppressed" : f.level;
  return `${tag.padEnd(10)} ${f.rule}  ${f.stack}/${f.address}\n           ${f.message}${f.suppressed !== undefined ? `\n           reason: ${f.suppressed}` : ""}`;
}
