/**
 * Suppress a policy rule on one resource, with a reason (cdk-nag style). The suppression is
 * written into the resource's `//` metadata of the synthesized JSON, where the rules read it.
 */
import type { TerraformResource } from "cdktf";
import { MIN_REASON_LENGTH } from "./run-rules.js";

const recorded = new WeakMap<TerraformResource, { id: string; reason: string }[]>();

export function suppressRule(resource: TerraformResource, ruleId: string, reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH) throw new Error(`suppressing ${ruleId} on ${resource.node.path} needs a reason (at least ${MIN_REASON_LENGTH} characters)`);
  const list = recorded.get(resource) ?? [];
  list.push({ id: ruleId, reason: reason.trim() });
  recorded.set(resource, list);
  resource.addOverride("//.opsctl.suppressions", [...list]);
}
