import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runOpsctl } from "../harness/run-opsctl.js";

describe("opsctl runbook list / show (built CLI)", () => {
  it("GIVEN the runbooks directory WHEN listed THEN every runbook appears with its kind", async () => {
    const run = await runOpsctl(["runbook", "list", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const runbooks = (run.json?.result as { runbooks: { name: string; kind: string }[] } | undefined)?.runbooks ?? [];
    const files = readdirSync(join(REPO_ROOT, "runbooks")).filter((f) => f.endsWith(".md") && f !== "README.md");
    expect(runbooks.map((r) => `${r.name}.md`).sort()).toEqual(files.sort());
    expect(runbooks.find((r) => r.name === "dlq-growing")?.kind).toBe("alert");
    expect(runbooks.find((r) => r.name === "rollback")?.kind).toBe("procedure");
    expect(runbooks.every((r) => r.kind === "alert" || r.kind === "procedure")).toBe(true);
  });

  it("GIVEN a name as errors print it WHEN shown THEN the runbook renders for a terminal", async () => {
    const run = await runOpsctl(["runbook", "show", "runbooks/vpc-deletion-stuck.md"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("VPC DELETION STUCK");
    expect(run.stdout).toContain("    opsctl state cleanup --env dev --stack network --dry-run");
    expect(run.stdout).not.toContain("<!--");
  });

  it("GIVEN a misspelt name THEN exit 2 with did-you-mean", async () => {
    const run = await runOpsctl(["runbook", "show", "dlq-grwoing"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('did you mean "dlq-growing"');
  });
});
