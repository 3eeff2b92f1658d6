/**
 * Traffic splits as data: what a service serves now (LATEST resolved to a revision), the split of a
 * canary step, and the Cloud Run traffic targets that pin a split to revisions by name.
 *
 * Why pin: a LATEST target follows whichever revision becomes Ready last, so restoring "LATEST 100%"
 * after a candidate became Ready would hand it all the traffic. A restore therefore routes to the
 * revisions LATEST pointed at before. The flip side is the pinned-traffic trap: while traffic is
 * pinned, a revision created outside opsctl (gcloud, Terraform) stays at 0%; `opsctl deploy` moves
 * traffic by name and hands a finished deploy back to LATEST (see finalTraffic).
 */
import type { ServiceView, SplitEntry, TrafficSpec } from "./model.js";

/** The split a service serves (its trafficStatuses), LATEST resolved to latestReadyRevision. */
export function servedSplit(view: ServiceView): SplitEntry[] {
  return view.trafficStatuses.map((t) => entry(t.type === "LATEST" ? view.latestReadyRevision : (t.revision ?? ""), t.percent, t.tag));
}

/** The split the spec asks for (traffic), LATEST resolved to latestReadyRevision. */
export function specSplit(view: ServiceView): SplitEntry[] {
  return view.traffic.map((t) => entry(t.type === "LATEST" ? view.latestReadyRevision : (t.revision ?? ""), t.percent, t.tag));
}

function entry(revision: string, percent: number, tag: string | undefined): SplitEntry {
  return { revision, percent, ...(tag ? { tag } : {}) };
}

/** Traffic targets routing exactly this split, by revision name. */
export function pinnedTraffic(split: SplitEntry[]): TrafficSpec[] {
  return split.map((s) => ({ type: "REVISION", revision: s.revision, percent: s.percent, ...(s.tag ? { tag: s.tag } : {}) }));
}

/**
 * A canary step: the candidate gets `percent` under `tag`; the baseline's serving entries share the
 * rest in proportion (largest remainder, so the total is exactly 100); baseline tags stay reachable.
 */
export function canarySplit(baseline: SplitEntry[], candidate: string, percent: number, tag: string): SplitEntry[] {
  const rest = baseline.filter((s) => s.tag !== tag && s.revision !== candidate);
  const serving = rest.filter((s) => s.percent > 0);
  const total = serving.reduce((a, s) => a + s.percent, 0);
  const remaining = 100 - percent;
  const exact = serving.map((s) => (total === 0 ? 0 : (s.percent * remaining) / total));
  const floors = exact.map(Math.floor);
  let left = remaining - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  let k = 0;
  const scaled = rest.map((s) => (s.percent > 0 ? { ...s, percent: floors[k++] ?? 0 } : { ...s }));
  return [...scaled.filter((s) => s.percent > 0 || s.tag), { revision: candidate, percent, tag }];
}

/**
 * The traffic that ends a successful deploy: LATEST 100% when the candidate is the latest Ready
 * revision (so later revisions are not silently stuck at 0%), else the candidate pinned at 100%.
 * Baseline tags stay reachable at 0%; the candidate tag is released.
 */
export function finalTraffic(baseline: SplitEntry[], candidate: string, candidateTag: string, latestReady: string): TrafficSpec[] {
  const tags = baseline.filter((s) => s.tag && s.tag !== candidateTag && s.revision !== candidate).map((s): TrafficSpec => ({ type: "REVISION", revision: s.revision, percent: 0, tag: s.tag }));
  const main: TrafficSpec = latestReady === candidate ? { type: "LATEST", percent: 100 } : { type: "REVISION", revision: candidate, percent: 100 };
  return [main, ...tags];
}

/** Same routing: per revision and tag, zero-percent untagged entries ignored. */
export function sameSplit(a: SplitEntry[], b: SplitEntry[]): boolean {
  return normalize(a) === normalize(b);
}

function normalize(split: SplitEntry[]): string {
  const merged = new Map<string, number>();
  for (const s of split) {
    const key = `${s.revision}\u0000${s.tag ?? ""}`;
    merged.set(key, (merged.get(key) ?? 0) + s.percent);
  }
  return JSON.stringify([...merged.entries()].filter(([k, p]) => p > 0 || !k.endsWith("\u0000")).sort(([x], [y]) => x.localeCompare(y)));
}

/** "svc-00001-abc 90%, svc-00002-def 10% [candidate]" */
export function formatSplit(split: SplitEntry[]): string {
  return split.map((s) => `${s.revision} ${s.percent}%${s.tag ? ` [${s.tag}]` : ""}`).join(", ");
}

/** The revisions that receive traffic. */
export function servingRevisions(split: SplitEntry[]): string[] {
  return [...new Set(split.filter((s) => s.percent > 0).map((s) => s.revision))];
}
