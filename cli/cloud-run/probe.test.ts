import { describe, expect, it } from "vitest";
import { jsonFieldProblem, percentile, probeUrl, summarize } from "./probe.js";

describe("probe helpers", () => {
  it("checks a dotted JSON field against an expected value", () => {
    expect(jsonFieldProblem('{"status":"ok"}', "status=ok")).toBeUndefined();
    expect(jsonFieldProblem('{"checks":{"redis":"up"}}', "checks.redis=up")).toBeUndefined();
    expect(jsonFieldProblem('{"status":"degraded"}', "status=ok")).toMatch(/is "degraded", expected ok/);
    expect(jsonFieldProblem("<html>", "status=ok")).toMatch(/not JSON/);
    expect(jsonFieldProblem("{}", "status")).toMatch(/missing/);
  });

  it("computes nearest-rank percentiles and the error rate", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 95)).toBe(0);
    const s = summarize("u", [
      { ok: true, status: 200, latencyMs: 10 },
      { ok: false, status: 503, latencyMs: 30, error: "HTTP 503, expected 200" },
    ]);
    expect(s).toMatchObject({ ok: false, count: 2, failures: 1, errorRate: 0.5, lastError: "HTTP 503, expected 200" });
  });

  it("joins a base URL and a path without doubling slashes", () => {
    expect(probeUrl("https://svc.run.app/", "/healthz")).toBe("https://svc.run.app/healthz");
  });
});
