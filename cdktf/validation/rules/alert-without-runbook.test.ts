import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { MonitoringExampleStack } from "../../../modules/monitoring/example.js";
import { check, explanation, info } from "./alert-without-runbook.js";

const policy = (body: Record<string, unknown>) => ({ type: "google_monitoring_alert_policy", name: "p", body });

describe("rule alert-without-runbook", () => {
  it("declares its id (= file name), severity and cause", () => {
    expect(info.id).toBe("alert-without-runbook");
    expect(info.severity).toBe("error");
    expect(info.cause).toContain("runbooks/<name>.md");
    expect(explanation).toContain("withRunbook");
  });

  it("GIVEN an alert policy without documentation THEN NON_COMPLIANT", () => {
    expect(check(policy({ display_name: "x", combiner: "OR", conditions: [] }))).toBe("NON_COMPLIANT");
  });

  it("GIVEN documentation whose content names no runbooks/<name>.md THEN NON_COMPLIANT", () => {
    expect(check(policy({ documentation: { content: "Check the logs.", mime_type: "text/markdown" } }))).toBe("NON_COMPLIANT");
    expect(check(policy({ documentation: { content: "see runbooks/ for help" } }))).toBe("NON_COMPLIANT");
  });

  it("GIVEN a runbook link (absolute or relative, object or one-element list) THEN COMPLIANT", () => {
    expect(check(policy({ documentation: { content: "**Runbook:** [runbooks/dlq-growing.md](https://github.com/o/r/blob/main/runbooks/dlq-growing.md)" } }))).toBe("COMPLIANT");
    expect(check(policy({ documentation: [{ content: "see runbooks/service-unhealthy.md" }] }))).toBe("COMPLIANT");
  });

  it("GIVEN another resource type THEN NOT_APPLICABLE", () => {
    expect(check({ type: "google_logging_metric", name: "m", body: {} })).toBe("NOT_APPLICABLE");
  });

  it("GIVEN the synthesized example app THEN every alert policy is COMPLIANT", () => {
    const synth = JSON.parse(Testing.synth(new MonitoringExampleStack(Testing.app(), "example"))) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const results = Object.entries(synth.resource.google_monitoring_alert_policy ?? {}).map(([name, body]) => check({ type: "google_monitoring_alert_policy", name, body }));
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results)).toEqual(new Set(["COMPLIANT"]));
  });
});
