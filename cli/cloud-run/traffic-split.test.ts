import { describe, expect, it } from "vitest";
import type { ServiceView } from "./model.js";
import { canarySplit, finalTraffic, formatSplit, sameSplit, servedSplit, specSplit } from "./traffic-split.js";

const view = (over: Partial<ServiceView>): ServiceView => ({
  name: "projects/p/locations/r/services/s",
  generation: 3,
  observedGeneration: 3,
  reconciling: false,
  terminalCondition: { type: "Ready", state: "CONDITION_SUCCEEDED", message: "" },
  traffic: [],
  trafficStatuses: [],
  latestReadyRevision: "s-3",
  latestCreatedRevision: "s-3",
  uri: "https://s",
  etag: "e",
  images: [],
  ...over,
});

describe("traffic splits", () => {
  it("resolves LATEST to the latest Ready revision in spec and served splits", () => {
    const v = view({ traffic: [{ type: "LATEST", percent: 100 }], trafficStatuses: [{ type: "LATEST", percent: 100 }] });
    expect(specSplit(v)).toEqual([{ revision: "s-3", percent: 100 }]);
    expect(servedSplit(v)).toEqual([{ revision: "s-3", percent: 100 }]);
  });

  it("scales the baseline proportionally around the candidate and sums to exactly 100", () => {
    const split = canarySplit(
      [
        { revision: "a", percent: 70 },
        { revision: "b", percent: 30, tag: "blue" },
      ],
      "c",
      10,
      "candidate",
    );
    expect(split).toEqual([
      { revision: "a", percent: 63 },
      { revision: "b", percent: 27, tag: "blue" },
      { revision: "c", percent: 10, tag: "candidate" },
    ]);
    const odd = canarySplit(
      [
        { revision: "a", percent: 33 },
        { revision: "b", percent: 33 },
        { revision: "d", percent: 34 },
      ],
      "c",
      50,
      "candidate",
    );
    expect(odd.reduce((n, s) => n + s.percent, 0)).toBe(100);
  });

  it("drops a stale candidate tag from the baseline but keeps other tags at 0%", () => {
    const split = canarySplit(
      [
        { revision: "a", percent: 100 },
        { revision: "old", percent: 0, tag: "candidate" },
        { revision: "x", percent: 0, tag: "stable" },
      ],
      "c",
      50,
      "candidate",
    );
    expect(split).toEqual([
      { revision: "a", percent: 50 },
      { revision: "x", percent: 0, tag: "stable" },
      { revision: "c", percent: 50, tag: "candidate" },
    ]);
  });

  it("hands a finished deploy back to LATEST only when the candidate is the latest Ready revision", () => {
    expect(finalTraffic([{ revision: "a", percent: 100 }], "c", "candidate", "c")).toEqual([{ type: "LATEST", percent: 100 }]);
    expect(finalTraffic([{ revision: "a", percent: 100, tag: "prev" }], "c", "candidate", "z")).toEqual([
      { type: "REVISION", revision: "c", percent: 100 },
      { type: "REVISION", revision: "a", percent: 0, tag: "prev" },
    ]);
  });

  it("compares splits by routing, ignoring order and untagged zero entries", () => {
    expect(sameSplit([{ revision: "a", percent: 50 }, { revision: "b", percent: 50 }], [{ revision: "b", percent: 50 }, { revision: "a", percent: 50 }, { revision: "z", percent: 0 }])).toBe(true);
    expect(sameSplit([{ revision: "a", percent: 100 }], [{ revision: "a", percent: 100, tag: "t" }])).toBe(false);
    expect(formatSplit([{ revision: "a", percent: 90 }, { revision: "c", percent: 10, tag: "candidate" }])).toBe("a 90%, c 10% [candidate]");
  });
});
