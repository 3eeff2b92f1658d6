/**
 * The example CI pipelines are part of the product: every `opsctl` call in them must parse against
 * the real command table (same commands, same flags), and the per-stack steps must follow the
 * dependency order of a synthesized directory's manifest.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readStackOrder } from "../../cli/commands/terraform/stack-order.js";
import { COMMANDS } from "../../cli/commands/registry.js";
import { parseInvocation } from "../../cli/program.js";
import { REPO_ROOT, runOpsctl } from "../harness/run-opsctl.js";
import { type Invocation, opsctlInvocations, tokenize } from "./shell-invocations.js";

/** Commands the pipelines may call before they exist in the registry (none: every command has landed). */
const COMMANDS_PENDING_MERGE: readonly string[] = [];

// GitHub expression syntax, built so it does not read as a JS template placeholder.
const MATRIX_ENV = "$" + "{{ matrix.environment }}";

const GITHUB = join(REPO_ROOT, "examples/ci/github-actions/infrastructure.yml");
const CLOUD_BUILD = join(REPO_ROOT, "examples/ci/cloud-build/cloudbuild.yaml");

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);
const load = (file: string): Doc => {
  const doc: unknown = parse(readFileSync(file, "utf8"));
  if (!isDoc(doc)) throw new Error(`${file} is not a YAML mapping`);
  return doc;
};

function githubJobs(): Map<string, Invocation[]> {
  const jobs = load(GITHUB).jobs;
  if (!isDoc(jobs)) throw new Error("no jobs");
  const out = new Map<string, Invocation[]>();
  for (const [name, job] of Object.entries(jobs)) {
    const steps = isDoc(job) && Array.isArray(job.steps) ? job.steps : [];
    out.set(
      name,
      steps.flatMap((step, i) => (isDoc(step) && typeof step.run === "string" ? opsctlInvocations(step.run, `github-actions jobs.${name}.steps[${i}]`) : [])),
    );
  }
  return out;
}

function cloudBuildInvocations(): Invocation[] {
  const steps = load(CLOUD_BUILD).steps;
  if (!Array.isArray(steps)) throw new Error("no steps");
  return steps.flatMap((step, i) => {
    if (!isDoc(step)) return [];
    const source = `cloud-build steps[${i}] (${String(step.id)})`;
    const args = Array.isArray(step.args) ? step.args.map(String) : [];
    if (step.entrypoint === "npx" && args[0] === "opsctl") return [{ source, argv: args.slice(1).map((a) => tokenize(a).join(" ")) }];
    if ((step.entrypoint === "bash" || step.entrypoint === "sh") && args[0] === "-c") return opsctlInvocations(args.slice(1).join("\n"), source);
    return [];
  });
}

const all = (): Invocation[] => [...[...githubJobs().values()].flat(), ...cloudBuildInvocations()];
const registered = new Set(COMMANDS.map((c) => c.path[0]));
const stacksOf = (invocations: Invocation[], command: string) =>
  invocations.filter((inv) => inv.argv[0] === command).map((inv) => inv.argv[inv.argv.indexOf("--stack") + 1]);

describe("example CI pipelines", () => {
  it("GIVEN both pipelines WHEN every opsctl invocation is parsed by the real CLI THEN each command and flag exists", () => {
    const invocations = all();
    expect(invocations.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const inv of invocations) {
      const parsed = parseInvocation(inv.argv);
      if (parsed.ok) continue;
      const first = inv.argv[0] ?? "";
      const pending = COMMANDS_PENDING_MERGE.includes(first) && !registered.has(first) && /unknown command/.test(parsed.error);
      if (!pending) problems.push(`${inv.source}: opsctl ${inv.argv.join(" ")}\n    ${parsed.error}`);
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("GIVEN a misspelt flag or command in a snippet WHEN checked THEN the checker reports it", () => {
    const [inv] = opsctlInvocations(`npx opsctl plan --env "${MATRIX_ENV}" --stack network --summary-mdx "$GITHUB_STEP_SUMMARY" --json > plan.json`, "snippet");
    expect(inv?.argv).toEqual(["plan", "--env", "X", "--stack", "network", "--summary-mdx", "X", "--json"]);
    const parsed = parseInvocation(inv?.argv ?? []);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toContain("--summary-mdx");
    expect(parseInvocation(["aply", "--env", "X"]).ok).toBe(false);
    expect(parseInvocation(["apply", "--env", "X", "--stack", "data", "--yes"])).toMatchObject({ ok: true, command: "apply", options: { stack: "data" } });
  });

  it("GIVEN line continuations, && chains, comments and quotes WHEN scanned THEN each opsctl call is found whole", () => {
    const script = 'npx opsctl apply \\\n  --env "$OPSCTL_ENV" --stack network --yes && npx opsctl health --env \'prod\' --json # not: opsctl lint\necho opsctl is not called here';
    expect(opsctlInvocations(script, "snippet").map((i) => i.argv)).toEqual([
      ["apply", "--env", "X", "--stack", "network", "--yes"],
      ["health", "--env", "prod", "--json"],
    ]);
  });

  it("GIVEN the pipelines WHEN their commands are listed THEN they run validate → synth → lint → plan → apply → deploy → health", () => {
    const order = ["config", "synth", "lint", "plan", "apply", "deploy", "health"];
    const apply = githubJobs().get("apply") ?? [];
    expect([...new Set(apply.map((i) => i.argv[0]))]).toEqual(["config", "synth", "lint", "apply", "deploy", "health"]);
    expect([...new Set(cloudBuildInvocations().map((i) => i.argv[0]))]).toEqual(order);
  });

  it("GIVEN the dev environment synthesized by the built CLI WHEN the per-stack plan and apply steps are read THEN they follow its manifest's dependency order", async () => {
    const out = mkdtempSync(join(tmpdir(), "opsctl-pipelines-"));
    const synth = await runOpsctl(["synth", "--env", "dev", "--out", out, "--json"], { timeoutMs: 120_000 });
    expect(synth.code, synth.stderr).toBe(0);
    const expected = readStackOrder(out).stacks.map((s) => s.name);
    expect(expected).toEqual(["network", "data", "services", "ops"]);
    const jobs = githubJobs();
    expect(stacksOf(jobs.get("plan") ?? [], "plan")).toEqual(expected);
    expect(stacksOf(jobs.get("apply") ?? [], "apply")).toEqual(expected);
    expect(stacksOf(cloudBuildInvocations(), "plan")).toEqual(expected);
    expect(stacksOf(cloudBuildInvocations(), "apply")).toEqual(expected);
  });

  it("GIVEN the GitHub workflow WHEN its apply job is read THEN it is keyless, approved per environment and one apply per environment at a time", () => {
    const doc = load(GITHUB);
    expect(doc.permissions).toMatchObject({ "id-token": "write" });
    const apply = (doc.jobs as Doc).apply as Doc;
    expect(apply.environment).toBe(MATRIX_ENV);
    expect(apply.if).toContain("github.ref == 'refs/heads/main'");
    expect(apply.concurrency).toEqual({ group: `opsctl-apply-${MATRIX_ENV}`, "cancel-in-progress": false });
    const text = readFileSync(GITHUB, "utf8");
    expect(text).toContain("google-github-actions/auth@v2");
    expect(text).not.toMatch(/credentials_json|GOOGLE_APPLICATION_CREDENTIALS/);
  });

  it("GIVEN the Cloud Build config WHEN its substitutions are read THEN every _NAME substitution used is declared", () => {
    const doc = load(CLOUD_BUILD);
    const declared = new Set(Object.keys(doc.substitutions as Doc));
    const used = new Set([...readFileSync(CLOUD_BUILD, "utf8").matchAll(/\$\{(_[A-Z0-9_]+)\}/g)].map((m) => m[1]));
    expect([...used].filter((u) => u !== undefined && !declared.has(u))).toEqual([]);
  });

  it("GIVEN the allow-list of commands pending merge WHEN a command in it is registered THEN the list must shrink", () => {
    expect(COMMANDS_PENDING_MERGE.filter((c) => registered.has(c)), "these commands exist now: remove them from COMMANDS_PENDING_MERGE").toEqual([]);
  });
});
