/**
 * Policy rules, cdk-nag style: one rule per file under rules/, id = file name, a tri-state result,
 * a short cause and a longer explanation next to the logic. Rules read synthesized Terraform JSON
 * only (no provider import), so `opsctl lint` runs them on any cdktf.out.
 */
import type { ResourceView, StackView, SynthOutput } from "./synth-output.js";

export type RuleResult = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";
export type Severity = "error" | "warning";
export type Stage = "dev" | "staging" | "prod";

export interface RuleInfo {
  /** = the rule's file name */
  id: string;
  /** one line: what is wrong when it fires */
  cause: string;
  /** why it matters and how to fix it (RULES.md) */
  explanation: string;
  /** severity, possibly by stage (unknown stage counts as prod) */
  level: Severity | ((stage: Stage) => Severity);
  /** what it looks at, for RULES.md */
  appliesTo: string;
}

export type Outcome = RuleResult | { result: "NON_COMPLIANT"; detail: string };

export interface ResourceRule {
  info: RuleInfo;
  scope: "resource";
  check(resource: ResourceView, output: SynthOutput): Outcome;
}

export interface StackRule {
  info: RuleInfo;
  scope: "stack";
  check(stack: StackView, output: SynthOutput): Outcome;
}

export type PolicyRule = ResourceRule | StackRule;

export interface Finding {
  rule: string;
  level: Severity;
  stack: string;
  /** terraform address (type.name) or the stack itself */
  address: string;
  /** construct path from the resource's metadata */
  path: string;
  message: string;
  /** present when suppressed: the recorded reason */
  suppressed?: string;
}

export function severityOf(info: RuleInfo, stage: Stage): Severity {
  return typeof info.level === "function" ? info.level(stage) : info.level;
}
