/**
 * Counts what a saved plan will do, from `terraform show -json <plan>` (resource_changes[].change.actions).
 * Same arithmetic as terraform's own "Plan: X to add, Y to change, Z to destroy": a replacement
 * ("delete","create" or "create","delete") counts once in add and once in destroy.
 */
import type { ResourceChange } from "./plan-summary.js";

export interface PlanChanges {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  resources: ResourceChange[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function countPlanChanges(showJson: unknown): PlanChanges {
  const out: PlanChanges = { add: 0, change: 0, destroy: 0, replace: 0, resources: [] };
  const changes = isRecord(showJson) && Array.isArray(showJson.resource_changes) ? showJson.resource_changes : [];
  for (const rc of changes) {
    if (!isRecord(rc) || !isRecord(rc.change) || !Array.isArray(rc.change.actions)) continue;
    const actions = rc.change.actions.filter((a): a is string => typeof a === "string");
    const creates = actions.includes("create");
    const deletes = actions.includes("delete");
    if (creates) out.add += 1;
    if (deletes) out.destroy += 1;
    if (creates && deletes) out.replace += 1;
    if (actions.includes("update")) out.change += 1;
    if (actions.every((a) => a === "no-op" || a === "read")) continue;
    out.resources.push({ address: typeof rc.address === "string" ? rc.address : "(unknown)", actions });
  }
  return out;
}

export function hasChanges(c: Pick<PlanChanges, "add" | "change" | "destroy">): boolean {
  return c.add + c.change + c.destroy > 0;
}
