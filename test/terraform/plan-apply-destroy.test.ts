import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { REPO_ROOT, runOpsctl } from "../harness/run-opsctl.js";
import { DEV_CONFIG, fixtureWorkspace } from "./fixture-stacks.js";

// The checked-in JSON Schema, not the zod definition: this is what --json consumers validate against.
const summaryValidator = z.fromJSONSchema(JSON.parse(readFileSync(join(REPO_ROOT, "cli/commands/terraform/plan-summary.schema.json"), "utf8")));

interface StackResult {
  name: string;
  status: string;
  add: number;
  change: number;
  destroy: number;
  blockers?: string[];
}
interface Summary {
  operation: string;
  order: string[];
  orderSource: string;
  stacks: StackResult[];
  changesPending: boolean;
  totals: { add: number; change: number; destroy: number };
}

function summaryOf(doc: unknown): Summary {
  const parsed = summaryValidator.safeParse(doc);
  expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues)).toBe(true);
  return doc as Summary;
}

const status = (s: Summary) => Object.fromEntries(s.stacks.map((x) => [x.name, x.status]));

describe("opsctl plan / apply / destroy with the real terraform binary", () => {
  const ws = fixtureWorkspace();
  afterAll(() => ws.remove());
  const opsctl = (args: string[], env: Record<string, string> = {}) => runOpsctl([...args, "--config", DEV_CONFIG], { cwd: ws.dir, env, timeoutMs: 120_000 });

  it("GIVEN a new environment WHEN planned THEN network has changes, data and services are deferred behind it, exit 0 (1 with --fail-on-changes)", async () => {
    const run = await opsctl(["plan", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run.json?.result);
    expect(summary.order).toEqual(["network", "data", "services"]);
    expect(summary.orderSource).toBe("manifest");
    expect(status(summary)).toEqual({ network: "changes-pending", data: "deferred", services: "deferred" });
    expect(summary.stacks[0]).toMatchObject({ add: 2, change: 0, destroy: 0 });
    expect(summary.changesPending).toBe(true);
    expect(ws.events()).toEqual([]);

    const gated = await opsctl(["plan", "--fail-on-changes"]);
    expect(gated.code).toBe(1);
    expect(gated.stdout).toMatch(/network\s+changes-pending\s+2\s+0\s+0/);
  });

  it("GIVEN no terminal and no --yes WHEN applying THEN exit 4 and nothing is created", async () => {
    const run = await opsctl(["apply", "--json"]);
    expect(run.code).toBe(4);
    expect(run.json?.error?.code).toBe("confirmation_required");
    expect(ws.events()).toEqual([]);
  });

  it("GIVEN --dry-run WHEN applying THEN it only plans", async () => {
    const run = await opsctl(["apply", "--dry-run", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run.json?.result);
    expect(summary.operation).toBe("apply");
    expect(status(summary)).toEqual({ network: "changes-pending", data: "deferred", services: "deferred" });
    expect(ws.events()).toEqual([]);
  });

  it("GIVEN --yes WHEN applying THEN the stacks are created in dependency order and the summary counts them", async () => {
    const md = join(ws.dir, "summary.md");
    const run = await opsctl(["apply", "--yes", "--json", "--summary-md", md]);
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run.json?.result);
    expect(status(summary)).toEqual({ network: "applied", data: "applied", services: "applied" });
    expect(summary.totals).toEqual({ add: 6, change: 0, destroy: 0 });
    expect(ws.events()).toEqual(["create network", "create data", "create services"]);
    expect(run.stderr).toContain("[network] Apply complete! Resources: 2 added");
    const markdown = readFileSync(md, "utf8");
    expect(markdown).toContain("| network | applied | 2 | 0 | 0 |");
    expect(markdown).toContain("<details><summary>data: terraform plan</summary>");
  });

  it("GIVEN applied stacks WHEN planned again THEN no changes and --fail-on-changes exits 0", async () => {
    const run = await opsctl(["plan", "--fail-on-changes", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run.json?.result);
    expect(status(summary)).toEqual({ network: "unchanged", data: "unchanged", services: "unchanged" });
    expect(summary.changesPending).toBe(false);
  });

  it("GIVEN a changed input in the services stack WHEN planned for that stack only THEN 1 change, exit 1 with --fail-on-changes", async () => {
    const file = join(ws.synthDir, "stacks/services/cdk.tf.json");
    writeFileSync(file, readFileSync(file, "utf8").replace("gcr.io/wa-test/api:1", "gcr.io/wa-test/api:2"));
    const run = await opsctl(["plan", "--stack", "services", "--fail-on-changes", "--json"]);
    expect(run.code, run.stderr).toBe(1);
    const summary = summaryOf(run.json?.result);
    expect(summary.order).toEqual(["services"]);
    expect(summary.stacks[0]).toMatchObject({ status: "changes-pending", add: 0, change: 1, destroy: 0 });
  });

  it("GIVEN --yes WHEN destroying THEN the stacks go in reverse order: services → data → network", async () => {
    const plan = await opsctl(["destroy", "--dry-run", "--json"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(summaryOf(plan.json?.result).totals.destroy).toBe(6);
    expect(ws.events()).toHaveLength(3);

    const run = await opsctl(["destroy", "--yes", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run.json?.result);
    expect(summary.order).toEqual(["services", "data", "network"]);
    expect(status(summary)).toEqual({ services: "destroyed", data: "destroyed", network: "destroyed" });
    expect(ws.events().slice(3)).toEqual(["destroy services", "destroy data", "destroy network"]);
  });
});

describe("opsctl destroy when the network is still in use", () => {
  const ws = fixtureWorkspace();
  afterAll(() => ws.remove());

  it("GIVEN the network's deletion fails with 'already being used by' WHEN destroying THEN exit 3 naming the blocker, state doctor/cleanup and the runbook", async () => {
    const opts = { cwd: ws.dir, timeoutMs: 120_000, env: { OPSCTL_FIXTURE_NETWORK_IN_USE: "1" } };
    expect((await runOpsctl(["apply", "--yes", "--config", DEV_CONFIG], opts)).code).toBe(0);
    const run = await runOpsctl(["destroy", "--yes", "--json", "--config", DEV_CONFIG], opts);
    expect(run.code, run.stderr).toBe(3);
    const error = run.json?.error;
    expect(error?.code).toBe("destroy_blocked");
    expect(error?.runbook).toBe("runbooks/vpc-deletion-stuck.md");
    expect(error?.hint).toContain("opsctl state doctor --env dev --stack network");
    expect(error?.hint).toContain("opsctl state cleanup --env dev --stack network");
    expect(error?.message).toContain("is already being used by projects/wa-test/global/firewalls/aet-");
    const summary = summaryOf(error?.details);
    expect(status(summary)).toEqual({ services: "destroyed", data: "destroyed", network: "failed" });
    expect(summary.stacks[2]?.blockers?.[0]).toContain("already being used by");

    const text = await runOpsctl(["destroy", "--yes", "--config", DEV_CONFIG], opts);
    expect(text.code).toBe(3);
    expect(text.stderr).toContain("see runbooks/vpc-deletion-stuck.md");

    // WHEN the blocker is gone (state cleanup) THEN re-running destroy finishes where it stopped
    const rerun = await runOpsctl(["destroy", "--yes", "--json", "--config", DEV_CONFIG], { cwd: ws.dir, timeoutMs: 120_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(status(summaryOf(rerun.json?.result))).toEqual({ services: "unchanged", data: "unchanged", network: "destroyed" });
    expect(ws.events().slice(-3)).toEqual(["destroy services", "destroy data", "destroy network"]);
  });
});

describe("opsctl apply interrupted", () => {
  const ws = fixtureWorkspace();
  afterAll(() => ws.remove());

  it("GIVEN an apply in progress WHEN it gets SIGINT THEN terraform stops cleanly, exit 130, and the next apply finishes the job", async () => {
    const run = await runOpsctl(["apply", "--yes", "--config", DEV_CONFIG], {
      cwd: ws.dir,
      timeoutMs: 120_000,
      env: { OPSCTL_FIXTURE_SLOW_NETWORK: "1" },
      onSpawn: (child) => {
        let seen = "";
        child.stderr?.on("data", (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes("terraform_data.vpc: Provisioning with 'local-exec'")) {
            seen = "";
            child.kill("SIGINT");
          }
        });
      },
    });
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toContain("[network] Gracefully shutting down");
    expect(ws.events()).toEqual([]);

    const again = await runOpsctl(["apply", "--yes", "--json", "--config", DEV_CONFIG], { cwd: ws.dir, timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(status(summaryOf(again.json?.result))).toEqual({ network: "applied", data: "applied", services: "applied" });
    expect(ws.events()).toEqual(["create network", "create data", "create services"]);
  });
});

describe("opsctl plan --help", () => {
  it("GIVEN plan --help WHEN printed THEN it explains --fail-on-changes against terraform's -detailed-exitcode", async () => {
    const run = await runOpsctl(["plan", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--fail-on-changes");
    // commander wraps help to the terminal width
    expect(run.stdout.replace(/\s+/g, " ")).toContain("-detailed-exitcode, where 1 means error and 2 means changes: with opsctl, 1 always means");
    const top = await runOpsctl(["--help"]);
    expect(top.stdout).toMatch(/\n\s+plan \[options\]/);
    expect(top.stdout).toMatch(/\n\s+destroy \[options\]/);
  });
});

describe("opsctl plan: failures, selection and the order without a manifest", () => {
  const ws = fixtureWorkspace();
  afterAll(() => ws.remove());
  const opsctl = (args: string[]) => runOpsctl([...args, "--config", DEV_CONFIG], { cwd: ws.dir, timeoutMs: 120_000 });

  it("GIVEN --stack with a typo WHEN planning THEN exit 2 with did-you-mean", async () => {
    const run = await opsctl(["plan", "--stack", "netwrok", "--json"]);
    expect(run.code).toBe(2);
    expect(run.json?.error?.message).toContain('did you mean "network"');
  });

  it("GIVEN stacks synthesized with another environment's GCS state bucket WHEN planning THEN exit 2 before terraform runs", async () => {
    const file = join(ws.synthDir, "stacks/data/cdk.tf.json");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, original.replace('"backend": { "local": { "path": "terraform.tfstate" } }', '"backend": { "gcs": { "bucket": "wa-bot-prod-tfstate", "prefix": "opsctl/data" } }'));
    try {
      const run = await opsctl(["plan", "--json"]);
      expect(run.code).toBe(2);
      expect(run.json?.error?.message).toContain("stack data keeps its state in gs://wa-bot-prod-tfstate, but the config says gs://wa-bot-dev-tfstate");
      expect(run.stderr).not.toContain("[network]");
    } finally {
      writeFileSync(file, original);
    }
  });

  it("GIVEN a terraform binary that does not exist WHEN planning THEN exit 2 saying how to install one", async () => {
    const run = await opsctl(["plan", "--terraform-bin", join(ws.dir, "no-such-terraform"), "--json"]);
    expect(run.code).toBe(2);
    expect(run.json?.error?.code).toBe("terraform_missing");
  });

  it("GIVEN no manifest.json WHEN applying THEN the default order network → data → services is used", async () => {
    rmSync(join(ws.synthDir, "manifest.json"));
    const run = await opsctl(["apply", "--yes", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run.json?.result);
    expect(summary.orderSource).toBe("default-order");
    expect(ws.events()).toEqual(["create network", "create data", "create services"]);
  });

  it("GIVEN invalid Terraform in a stack WHEN planning THEN exit 3 at that stack, later stacks skipped, details carry the summary", async () => {
    writeFileSync(join(ws.synthDir, "stacks/data/cdk.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: "terraform.tfstate" } } }, resource: { terraform_data: { broken: { input: ["$", "{var.missing}"].join("") } } } }));
    const run = await opsctl(["plan", "--json"]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.json?.error?.code).toBe("terraform_failed");
    expect(run.json?.error?.message).toContain("terraform plan failed in stack data");
    const summary = summaryOf(run.json?.error?.details);
    expect(status(summary)).toEqual({ network: "unchanged", data: "failed", services: "skipped" });
  });
});
