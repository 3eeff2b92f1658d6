/**
 * opsctl's own log lines as Cloud Logging receives them from a Cloud Run Job: JSON by default when
 * CLOUD_RUN_JOB is set, following cli/core/log-events.ts (component, command, env from the loaded
 * document), so the log-based metrics of modules/monitoring can select them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { logLineSchema } from "../../cli/core/log-events.js";
import { REPO_ROOT, runOpsctl } from "../harness/run-opsctl.js";

function configWithWarning(): string {
  const file = join(mkdtempSync(join(tmpdir(), "opsctl-log-")), "dev.yaml");
  // ingress "all" without a recorded reason is a warning, logged while the document loads
  writeFileSync(file, readFileSync(join(REPO_ROOT, "config/dev.yaml"), "utf8").replace(/^ {4}ingressReason: .*\n/m, ""));
  return file;
}

describe("opsctl log lines (built CLI)", () => {
  it("GIVEN CLOUD_RUN_JOB is set WHEN a command logs THEN stderr carries schema-valid JSON lines with env from the document", async () => {
    const run = await runOpsctl(["config", "show", "--config", configWithWarning(), "--json"], { env: { CLOUD_RUN_JOB: "idempotency-check" } });
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => logLineSchema.parse(JSON.parse(l)));
    expect(lines).toEqual([expect.objectContaining({ severity: "WARNING", component: "opsctl", command: "config show", env: "dev" })]);
    expect(lines[0]?.message).toContain("services.webhook.ingressReason");
  });

  it("GIVEN no CLOUD_RUN_JOB and no --log-format THEN logs stay human text", async () => {
    const run = await runOpsctl(["config", "show", "--config", configWithWarning(), "--json"], { env: { CLOUD_RUN_JOB: undefined } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("warn: services.webhook.ingressReason");
    expect(run.stderr).not.toContain('"component"');
  });
});
