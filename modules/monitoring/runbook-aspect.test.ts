import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MonitoringAlertPolicy } from "@cdktf/provider-google/lib/monitoring-alert-policy/index.js";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { MonitoringExampleStack } from "./example.js";
import { AlertRunbookAspect } from "./runbook-aspect.js";
import { withRunbook } from "../../config/runbook-link.js";

const condition = { displayName: "any", conditionThreshold: { filter: 'metric.type="run.googleapis.com/request_count"', comparison: "COMPARISON_GT", thresholdValue: 1, duration: "0s" } };

function appWithPolicy(documentation: { content: string } | undefined): App {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "opsctl-aspect-")) });
  const stack = new TerraformStack(app, "ops");
  new GoogleProvider(stack, "google", { project: "wa-bot-dev" });
  new MonitoringAlertPolicy(stack, "hand-written", { displayName: "Hand-written alert", combiner: "OR", conditions: [condition], ...(documentation ? { documentation } : {}) });
  Aspects.of(stack).add(new AlertRunbookAspect());
  return app;
}

describe("AlertRunbookAspect", () => {
  it("GIVEN an alert policy without documentation WHEN the app synthesizes THEN synth fails naming the policy", () => {
    expect(() => appWithPolicy(undefined).synth()).toThrow(/alert policy "Hand-written alert" has no runbook link/);
  });

  it("GIVEN documentation without a runbooks/<name>.md link THEN synth fails", () => {
    expect(() => appWithPolicy({ content: "Look at the logs." }).synth()).toThrow(/has no runbook link/);
  });

  it("GIVEN documentation from withRunbook THEN synth succeeds", () => {
    const doc = withRunbook({ runbook: "service-unhealthy", baseUrl: "https://example.com/repo/blob/main", summary: "s", environment: "dev", displayName: "Hand-written alert" });
    expect(() => appWithPolicy(doc).synth()).not.toThrow();
  });

  it("GIVEN the example app (every alert built by the construct) THEN the aspect reports nothing", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "opsctl-aspect-")) });
    new MonitoringExampleStack(app, "example");
    expect(() => app.synth()).not.toThrow();
  });

  it("GIVEN Testing.synth (which does not throw on annotations) THEN the error is still recorded on the policy", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "ops");
    new GoogleProvider(stack, "google", { project: "wa-bot-dev" });
    const policy = new MonitoringAlertPolicy(stack, "bare", { displayName: "Bare", combiner: "OR", conditions: [condition] });
    Aspects.of(stack).add(new AlertRunbookAspect());
    Testing.synth(stack);
    const errors = policy.node.metadata.filter((m) => m.type === "@cdktf/error").map((m) => String(m.data));
    expect(errors).toEqual([expect.stringMatching(/^alert policy "Bare" has no runbook link/)]);
  });
});

describe("withRunbook", () => {
  it("GIVEN a name that is not a runbook file name THEN it refuses", () => {
    expect(() => withRunbook({ runbook: "Service Unhealthy", baseUrl: "https://x", summary: "", environment: "dev", displayName: "x" })).toThrow(/not a runbook file name/);
  });
});
