/** Counters of a run, kept per batch and committed in cursor order so a checkpoint is consistent. */
import { FINDING_TYPES, type FindingType } from "./key-schema.js";

export const SAMPLES_PER_FINDING = 5;

export type PerFinding = Record<FindingType, number>;

export interface Tally {
  /** keys matched by SCAN on every shard (before the shard filter): 0 means the prefix is wrong */
  matched: number;
  /** distinct keys of this shard that were checked */
  scanned: number;
  /** keys SCAN returned again (counted once) */
  duplicates: number;
  documentsChecked: number;
  /** documents of the dedupe window seen by the reverse check */
  windowDocuments: number;
  findings: PerFinding;
  repaired: PerFinding;
  /** repairs not done because the key changed in between (a live writer won) */
  repairSkipped: PerFinding;
  republished: number;
  samples: Record<FindingType, string[]>;
}

const zeros = (): PerFinding => Object.fromEntries(FINDING_TYPES.map((t) => [t, 0])) as PerFinding;

export function emptyTally(): Tally {
  return {
    matched: 0,
    scanned: 0,
    duplicates: 0,
    documentsChecked: 0,
    windowDocuments: 0,
    findings: zeros(),
    repaired: zeros(),
    repairSkipped: zeros(),
    republished: 0,
    samples: Object.fromEntries(FINDING_TYPES.map((t) => [t, []])) as unknown as Record<FindingType, string[]>,
  };
}

export function addTally(into: Tally, from: Tally): void {
  into.matched += from.matched;
  into.scanned += from.scanned;
  into.duplicates += from.duplicates;
  into.documentsChecked += from.documentsChecked;
  into.windowDocuments += from.windowDocuments;
  into.republished += from.republished;
  for (const t of FINDING_TYPES) {
    into.findings[t] += from.findings[t];
    into.repaired[t] += from.repaired[t];
    into.repairSkipped[t] += from.repairSkipped[t];
    for (const s of from.samples[t]) if (into.samples[t].length < SAMPLES_PER_FINDING) into.samples[t].push(s);
  }
}

export function totalFindings(t: Tally): number {
  return FINDING_TYPES.reduce((n, f) => n + t.findings[f], 0);
}

export function totalRepaired(t: Tally): number {
  return FINDING_TYPES.reduce((n, f) => n + t.repaired[f], 0);
}
