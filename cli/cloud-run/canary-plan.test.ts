import { describe, expect, it } from "vitest";
import { serviceSchema } from "../../config/schema.js";
import { OpsError } from "../core/errors.js";
import { formatDuration, parseDuration, parseSteps, planCanary } from "./canary-plan.js";

describe("canary plan", () => {
  it("parses durations and refuses nonsense with a usage error", () => {
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(() => parseDuration("2 minutes")).toThrow(OpsError);
  });

  it("requires increasing steps and always ends at 100", () => {
    expect(parseSteps("10,50")).toEqual([10, 50, 100]);
    expect(parseSteps("25,100")).toEqual([25, 100]);
    expect(() => parseSteps("50,10,100")).toThrow(/increase/);
    expect(() => parseSteps("0,100")).toThrow(OpsError);
  });

  it("takes defaults from config and bakes every step but the last", () => {
    const svc = serviceSchema.parse({ image: "img" });
    const plan = planCanary(svc, { image: "img:v2", bake: "30s" });
    expect(plan.steps).toEqual([
      { percent: 10, bakeMs: 30_000 },
      { percent: 50, bakeMs: 30_000 },
      { percent: 100, bakeMs: 0 },
    ]);
    expect(plan.tag).toBe("candidate");
    expect(plan.readyTimeoutMs).toBe(300_000);
  });
});

describe("formatDuration", () => {
  it("prints the unit that reads best", () => {
    expect(formatDuration(300)).toBe("300ms");
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(120_000)).toBe("2m");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(5_400_000)).toBe("1h30m");
  });
});
