import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { CloudRunService } from "../../modules/cloud-run-service/index.js";
import { GoogleProject } from "../../modules/project/index.js";
import { lintDirectory } from "./run-rules.js";
import { suppressRule } from "./suppress.js";

const tmp = mkdtempSync(join(tmpdir(), "opsctl-suppress-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("suppressRule", () => {
  it("GIVEN a suppression with a reason THEN the synthesized finding is reported as suppressed, not as an error", () => {
    const app = new App({ outdir: tmp, stackTraces: false });
    const stack = new TerraformStack(app, "services");
    new GoogleProject(stack, "project", { project: "p-12345", region: "r" });
    const svc = new CloudRunService(stack, "status", { name: "status", region: "r", image: "i", serviceAccountEmail: "e", ingress: "all" });
    suppressRule(svc.service, "ingress-all-reason", "public status page, reviewed by security on 2026-11-01");
    app.synth();
    const findings = lintDirectory(tmp).findings.filter((f) => f.rule === "ingress-all-reason");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.suppressed).toMatch(/public status page/);
  });

  it("refuses a suppression without a reason", () => {
    const app = new App({ outdir: join(tmp, "x") });
    const stack = new TerraformStack(app, "s");
    new GoogleProject(stack, "project", { project: "p-12345", region: "r" });
    const svc = new CloudRunService(stack, "status", { name: "status", region: "r", image: "i", serviceAccountEmail: "e" });
    expect(() => suppressRule(svc.service, "ingress-all-reason", " ")).toThrow(/needs a reason/);
  });
});
