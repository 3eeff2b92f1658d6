import { describe, expect, it } from "vitest";
import { countPlanChanges, hasChanges } from "./plan-changes.js";

describe("countPlanChanges (terraform show -json)", () => {
  it("GIVEN create, update, delete, both replace orders, no-op and read WHEN counted THEN it matches terraform's Plan: line", () => {
    const show = {
      format_version: "1.2",
      resource_changes: [
        { address: "terraform_data.a", change: { actions: ["create"] } },
        { address: "terraform_data.b", change: { actions: ["update"] } },
        { address: "terraform_data.c", change: { actions: ["delete"] } },
        { address: "terraform_data.d", change: { actions: ["delete", "create"] } },
        { address: "terraform_data.e", change: { actions: ["create", "delete"] } },
        { address: "terraform_data.f", change: { actions: ["no-op"] } },
        { address: "data.terraform_remote_state.n", change: { actions: ["read"] } },
      ],
    };
    const c = countPlanChanges(show);
    expect({ add: c.add, change: c.change, destroy: c.destroy, replace: c.replace }).toEqual({ add: 3, change: 1, destroy: 3, replace: 2 });
    expect(c.resources.map((r) => r.address)).toEqual(["terraform_data.a", "terraform_data.b", "terraform_data.c", "terraform_data.d", "terraform_data.e"]);
    expect(hasChanges(c)).toBe(true);
  });

  it("GIVEN a plan without resource_changes WHEN counted THEN zero and no changes", () => {
    const c = countPlanChanges({ format_version: "1.2", planned_values: {} });
    expect(c).toEqual({ add: 0, change: 0, destroy: 0, replace: 0, resources: [] });
    expect(hasChanges(c)).toBe(false);
  });
});
