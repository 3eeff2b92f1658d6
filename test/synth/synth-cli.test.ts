/**
 * End to end: the built CLI synthesizes an environment (the CDKTF app runs as a child process),
 * and `opsctl lint` gates on any synthesized directory.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { REPO_ROOT, runOpsctl } from "../harness/run-opsctl.js";

const tmp = mkdtempSync(join(tmpdir(), "opsctl-synth-e2e-"));
const out = join(tmp, "cdktf.out");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Report {
  environment: string;
  stacks: { name: string; resourceCount: number; dependsOn: string[]; resources: Record<string, number> }[];
  findings: { rule: string; level: string; address: string; message: string }[];
  summary: { errors: number; warnings: number };
}

describe("opsctl synth --env dev", () => {
  let first: Awaited<ReturnType<typeof runOpsctl>>;
  beforeAll(async () => {
    first = await runOpsctl(["synth", "--env", "dev", "--out", out, "--json"], { timeoutMs: 120_000 });
  }, 180_000);

  it("writes the four stacks and reports them with no policy error (exit 0)", () => {
    expect(first.stderr).not.toMatch(/error:/);
    expect(first.code).toBe(0);
    const report = first.json?.result as Report;
    expect(report.environment).toBe("dev");
    expect(report.stacks.map((s) => s.name)).toEqual(["data", "network", "ops", "services"]);
    expect(report.stacks.find((s) => s.name === "services")?.resources.google_cloud_run_v2_service).toBe(2);
    expect(report.summary.errors).toBe(0);
    const data = JSON.parse(readFileSync(join(out, "stacks", "data", "cdk.tf.json"), "utf8")) as { resource: Record<string, unknown> };
    expect(Object.keys(data.resource)).toContain("google_redis_instance");
  });

  it("prints a table of stacks and resources for humans", async () => {
    const run = await runOpsctl(["synth", "--env", "dev", "--out", join(tmp, "human")], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/stack\s+resources\s+depends on/);
    expect(run.stdout).toMatch(/services\s+\d+\s+data, network/);
    expect(run.stdout).toMatch(/policy: 0 error\(s\)/);
    // a second process writes the same bytes (deterministic synth: a re-plan shows no changes)
    for (const stack of ["network", "data", "services", "ops"]) {
      const file = join("stacks", stack, "cdk.tf.json");
      expect(readFileSync(join(tmp, "human", file), "utf8")).toBe(readFileSync(join(out, file), "utf8"));
    }
  });

  it("lint passes on what synth wrote (exit 0)", async () => {
    const run = await runOpsctl(["lint", out, "--json"]);
    expect(run.code).toBe(0);
    expect((run.json?.result as Report | undefined)?.summary.errors).toBe(0);
  });

  it("lint fails (exit 1) when a secret version lands in the synthesized JSON", async () => {
    const dir = join(tmp, "tampered");
    cpSync(out, dir, { recursive: true });
    const file = join(dir, "stacks", "data", "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as { resource: Record<string, unknown> };
    json.resource.google_secret_manager_secret_version = { v: { secret: "x", secret_data: "not-in-state-please" } };
    writeFileSync(file, JSON.stringify(json));
    const run = await runOpsctl(["lint", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/error\s+secret-version-in-state\s+data\/google_secret_manager_secret_version\.v/);
  });

  it("lint on a directory without synthesized stacks is a usage error (exit 2)", async () => {
    const run = await runOpsctl(["lint", join(tmp, "nothing"), "--json"]);
    expect(run.code).toBe(2);
    expect(run.json?.error?.hint).toMatch(/opsctl synth/);
  });
});

describe("opsctl synth with a bad environment", () => {
    type Doc = { services: Record<string, { ingressReason?: string; env: Record<string, unknown> }> };
  const dev = parse(readFileSync(join(REPO_ROOT, "config", "dev.yaml"), "utf8")) as Doc;

  it("GIVEN ingress all without a reason THEN synth writes the stacks but exits 1 on the policy error", async () => {
    const doc = structuredClone(dev);
    delete (doc.services.webhook as Doc["services"][string]).ingressReason;
    const file = join(tmp, "dev.yaml");
    writeFileSync(file, stringify(doc));
    const run = await runOpsctl(["synth", "--config", file, "--out", join(tmp, "noreason"), "--json"], { timeoutMs: 120_000 });
    expect(run.code).toBe(1);
    const report = run.json?.result as Report;
    expect(report.findings.map((f) => f.rule)).toContain("ingress-all-reason");
  });

  it("GIVEN a reserved env name THEN it is refused with the path and exit 2", async () => {
    const doc = structuredClone(dev);
    (doc.services.worker as Doc["services"][string]).env.K_SERVICE = { value: "worker" };
    const file = join(tmp, "reserved.yaml");
    writeFileSync(file, stringify(doc));
    const run = await runOpsctl(["synth", "--config", file, "--out", join(tmp, "reserved"), "--json"], { timeoutMs: 120_000 });
    expect(run.code).toBe(2);
    expect(run.json?.error?.message).toMatch(/services\.worker\.env\.K_SERVICE: "K_SERVICE" is reserved/);
  });
});
