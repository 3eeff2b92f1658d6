import { findCycle } from "../../wiring/find-cycle.js";
import type { RuleInfo, StackRule } from "../types.js";

export const info: RuleInfo = {
  id: "stack-dependency-cycle",
  cause: "stacks depend on each other in a cycle",
  explanation:
    "Stacks are applied network → data → services and destroyed in reverse; a cycle (seed 001) means neither order works. Dependencies must only point down that list: move the referenced resource to a lower stack (push subscriptions live in the services stack because they point at service URLs) or pass the value through config.",
  level: "error",
  appliesTo: "the stacks of cdktf.out (manifest.json dependencies)",
};

export const rule: StackRule = {
  info,
  scope: "stack",
  check(stack, output) {
    const edges = new Map(output.stacks.map((s) => [s.name, s.dependencies] as const));
    const cycle = findCycle(edges);
    if (!cycle?.includes(stack.name)) return "COMPLIANT";
    // Report the cycle once, on its first stack.
    if (cycle[0] !== stack.name) return "NOT_APPLICABLE";
    return { result: "NON_COMPLIANT", detail: `cycle: ${cycle.join(" → ")}` };
  },
};
