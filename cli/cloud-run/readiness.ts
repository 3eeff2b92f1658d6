/**
 * Is a service Ready in the sense a deploy or rollback can trust: the platform finished the last
 * change (observedGeneration == generation, not reconciling, terminal condition succeeded) and it
 * routes what the spec asks for (trafficStatuses match traffic). Pure, over ServiceView.
 */
import type { ServiceView } from "./model.js";
import { formatSplit, sameSplit, servedSplit, specSplit } from "./traffic-split.js";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export function serviceReadinessChecks(view: ServiceView): Check[] {
  const cond = view.terminalCondition;
  const settled = view.observedGeneration === view.generation && !view.reconciling;
  const spec = specSplit(view);
  const served = servedSplit(view);
  return [
    {
      name: "service-ready",
      ok: cond?.state === "CONDITION_SUCCEEDED",
      detail: cond ? `terminal condition ${cond.type} ${cond.state.replace("CONDITION_", "")}${cond.message ? `: ${cond.message}` : ""}` : "no terminal condition",
    },
    {
      name: "generation-observed",
      ok: settled,
      detail: settled ? `generation ${view.generation} observed` : `generation ${view.generation}, observed ${view.observedGeneration}${view.reconciling ? ", reconciling" : ""}`,
    },
    {
      name: "traffic-matches-spec",
      ok: sameSplit(spec, served),
      detail: sameSplit(spec, served) ? formatSplit(served) : `spec ${formatSplit(spec)} but serving ${formatSplit(served)}`,
    },
  ];
}

/** A change has settled: the platform observed our generation and stopped reconciling. */
export function isSettled(view: ServiceView, generation: number): boolean {
  return view.observedGeneration >= generation && !view.reconciling;
}
