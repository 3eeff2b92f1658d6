/**
 * opsctl health / deploy / rollback / deploy history, end to end: the built CLI against the fake
 * Cloud Run Admin API (real HTTP revision backends) and the Firestore emulator.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { logEventSchema } from "../../cli/core/log-events.js";
import type { CloudRunFake } from "../fakes/cloud-run/cloud-run-fake.js";
import { type OpsctlRun, runOpsctl } from "../harness/run-opsctl.js";
import { cliEnv, PROJECT, REGION, serviceName, startFake, writeConfig } from "./fixture.js";

const servers = inject("servers");
let fake: CloudRunFake;
let env: string;
let config: string;
const NAME = serviceName();

beforeEach(async () => {
  fake = await startFake();
  // A fresh environment name per test keeps the deploy history of tests apart in one emulator.
  env = `t${randomBytes(4).toString("hex")}`;
  config = writeConfig(env);
});
afterEach(async () => {
  await fake.stop();
});

async function seedTwoRevisions(): Promise<string[]> {
  await fake.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "registry.example/webhook:healthy", env: { LOG_LEVEL: "info" } }, { image: "registry.example/webhook:healthy", env: { LOG_LEVEL: "info" } }] });
  return fake.revisionsOf(NAME).map((r) => r.name.slice(r.name.lastIndexOf("/") + 1));
}

function resultOf<T>(run: OpsctlRun): T {
  if (run.json?.result === undefined) throw new Error(`no --json result (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  return run.json.result as T;
}

const opsctl = (args: string[], extra: Parameters<typeof runOpsctl>[1] = {}) => runOpsctl(["--config", config, "--json", ...args], { ...extra, env: { ...cliEnv(fake, servers.firestoreHost), ...extra.env } });

describe("opsctl deploy", () => {
  it("GIVEN a healthy image WHEN deployed THEN the canary walks 10 → 50 → 100 and hands traffic back to LATEST", async () => {
    await seedTwoRevisions();
    const run = await opsctl(["deploy", "--service", "webhook", "--image", "registry.example/webhook:healthy-v2", "--yes", "--probes-per-bake", "2"]);
    expect(run.json?.ok, run.stderr).toBe(true);
    expect(run.code).toBe(0);
    const result = resultOf<{ result: { outcome: string; candidate: string; steps: Array<{ percent: number; split: Array<{ revision: string; percent: number }> }> } }>(run).result;
    expect(result.outcome).toBe("succeeded");
    expect(result.steps.map((s) => s.percent)).toEqual([10, 50, 100]);
    expect(result.steps[0]?.split.find((s) => s.revision === result.candidate)?.percent).toBe(10);
    const svc = fake.service(NAME);
    expect(svc.traffic).toEqual([{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }]);
    expect(fake.servedSplit(NAME)).toEqual([{ revision: result.candidate, percent: 100 }]);
    expect(fake.revision(`${NAME}/revisions/${result.candidate}`).containers[0]?.image).toBe("registry.example/webhook:healthy-v2");

    const history = await opsctl(["deploy", "history", "--service", "webhook"]);
    expect(history.code, history.stderr).toBe(0);
    const entries = resultOf<{ entries: Array<{ action: string; outcome: string; revision: string; who: string; image: string }> }>(history).entries;
    expect(entries[0]).toMatchObject({ action: "deploy", outcome: "succeeded", revision: result.candidate, who: "test-runner", image: "registry.example/webhook:healthy-v2" });
  });

  it("GIVEN a candidate that never becomes Ready THEN it rolls back, exit 1, traffic unchanged", async () => {
    const [, stable] = await seedTwoRevisions();
    const before = fake.servedSplit(NAME);
    const run = await opsctl(["deploy", "--service", "webhook", "--image", "registry.example/webhook:never-ready", "--yes", "--ready-timeout", "1s"]);
    expect(run.code, run.stderr).toBe(1);
    const result = resultOf<{ result: { outcome: string; failedGate: string; reason: string } }>(run).result;
    expect(result.outcome).toBe("rolled-back");
    expect(result.failedGate).toBe("candidate-ready");
    expect(result.reason).toMatch(/not Ready within/);
    expect(fake.servedSplit(NAME)).toEqual(before);
    expect(before).toEqual([{ revision: stable, percent: 100 }]);
    expect(fake.service(NAME).traffic.some((t) => t.tag === "candidate")).toBe(false);
  });

  it("GIVEN a split service and a candidate failing at the second step THEN exactly the previous split is restored", async () => {
    const [a, b] = await seedTwoRevisions();
    await fake.stop();
    fake = await startFake();
    await fake.seedService({
      project: PROJECT,
      location: REGION,
      name: "webhook",
      revisions: [{ image: "registry.example/webhook:healthy" }, { image: "registry.example/webhook:healthy" }],
      traffic: [
        { revision: 0, percent: 70 },
        { revision: 1, percent: 30, tag: "blue" },
      ],
    });
    expect([a, b]).toHaveLength(2);
    const before = fake.servedSplit(NAME);
    // preflight probe (1) + 3 bake probes at 10% pass; the 50% bake fails.
    const run = await opsctl(["--log-format", "json", "deploy", "--service", "webhook", "--image", "registry.example/webhook:fails-after-4", "--yes", "--probes-per-bake", "3"]);
    expect(run.code, run.stderr).toBe(1);
    // The deploy-failed alert counts these lines (modules/monitoring log-based metrics).
    const events = run.stderr
      .split("\n")
      .filter((l) => l.includes('"event":"deploy.'))
      .map((l) => logEventSchema.parse(JSON.parse(l)));
    expect(events).toEqual([expect.objectContaining({ event: "deploy.rollback", service: "webhook", reason: expect.stringMatching(/^bake-error-rate: /) })]);
    const result = resultOf<{ result: { outcome: string; failedGate: string; steps: Array<{ percent: number }>; final: unknown } }>(run).result;
    expect(result.failedGate).toBe("bake-error-rate");
    expect(result.steps.map((s) => s.percent)).toEqual([10, 50]);
    expect(fake.servedSplit(NAME)).toEqual(before);
    expect(before.map((s) => s.percent).sort()).toEqual([30, 70]);

    const history = await opsctl(["deploy", "history", "--service", "webhook"]);
    const entries = resultOf<{ entries: Array<{ outcome: string; reason: string }> }>(history).entries;
    expect(entries[0]?.outcome).toBe("rolled-back");
    expect(entries[0]?.reason).toMatch(/bake-error-rate/);
  });

  it("GIVEN a candidate that fails once it has all the traffic THEN the final probe restores the previous split", async () => {
    const [, stable] = await seedTwoRevisions();
    // preflight + one probe per bake at 10% and 50% pass; the service URL probe at 100% fails.
    const run = await opsctl(["deploy", "--service", "webhook", "--image", "registry.example/webhook:fails-after-3", "--yes", "--probes-per-bake", "1"]);
    expect(run.code, run.stderr).toBe(1);
    const result = resultOf<{ result: { failedGate: string; steps: Array<{ percent: number }> } }>(run).result;
    expect(result.failedGate).toBe("final-probe");
    expect(result.steps.map((s) => s.percent)).toEqual([10, 50, 100]);
    expect(fake.servedSplit(NAME)).toEqual([{ revision: stable, percent: 100 }]);
    expect(fake.service(NAME).traffic).toEqual([{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: stable, percent: 100 }]);
  });

  it("GIVEN a candidate slower than the p95 gate THEN the latency gate rolls it back", async () => {
    const [, stable] = await seedTwoRevisions();
    // A generous probe timeout lets every probe pass; maxP95Ms 1500 fails the bake.
    config = writeConfig(env, { healthTimeoutMs: 10_000 });
    const run = await opsctl(["deploy", "--service", "webhook", "--image", "registry.example/webhook:slow-1700", "--yes", "--probes-per-bake", "2"]);
    expect(run.code, run.stderr).toBe(1);
    const result = resultOf<{ result: { failedGate: string; reason: string } }>(run).result;
    expect(result.failedGate).toBe("bake-latency");
    expect(result.reason).toMatch(/p95 \d+ ms > 1500 ms/);
    expect(fake.servedSplit(NAME)).toEqual([{ revision: stable, percent: 100 }]);
  });

  it("GIVEN someone changes the service concurrently THEN a clear error and no traffic change", async () => {
    await seedTwoRevisions();
    const before = fake.service(NAME);
    fake.simulateConcurrentChange(NAME);
    const run = await opsctl(["deploy", "--service", "webhook", "--image", "registry.example/webhook:healthy-v3", "--yes"]);
    expect(run.code).toBe(4);
    expect(run.json?.error?.code).toBe("concurrent_change");
    expect(run.json?.error?.message).toMatch(/changed by someone else/);
    const after = fake.service(NAME);
    expect(after.traffic).toEqual(before.traffic);
    expect(fake.revisionsOf(NAME)).toHaveLength(2);
  });

  it("GIVEN --dry-run THEN the plan is printed and nothing is mutated", async () => {
    await seedTwoRevisions();
    const run = await opsctl(["deploy", "--service", "webhook", "--image", "registry.example/webhook:healthy", "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    expect(fake.http.mutatingCalls()).toEqual([]);
    expect(resultOf<{ plan: { steps: unknown[] } }>(run).plan.steps).toHaveLength(3);
  });

  it("GIVEN Ctrl-C during the bake THEN the previous split is restored and the exit code is 130", async () => {
    const [, stable] = await seedTwoRevisions();
    const slow = writeConfig(env, { bake: "60s" });
    let sent = false;
    const run = await runOpsctl(["--config", slow, "--json", "deploy", "--service", "webhook", "--image", "registry.example/webhook:healthy-v4", "--yes"], {
      env: cliEnv(fake, servers.firestoreHost),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (!sent && fake.service(NAME).trafficStatuses.some((t) => t.tag === "candidate" && t.percent === 10)) {
            sent = true;
            child.kill("SIGINT");
            clearInterval(timer);
          }
        }, 20);
        child.once("close", () => clearInterval(timer));
      },
    });
    expect(sent).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    expect(run.json?.error?.message).toMatch(/previous split is restored/);
    expect(fake.servedSplit(NAME)).toEqual([{ revision: stable, percent: 100 }]);
  });
});

describe("opsctl rollback", () => {
  it("GIVEN a successful deploy WHEN rolled back (twice) THEN traffic returns to the last revision that served 100%", async () => {
    const [, stable] = await seedTwoRevisions();
    const deploy = await opsctl(["deploy", "--service", "webhook", "--image", "registry.example/webhook:healthy-v5", "--yes", "--probes-per-bake", "1"]);
    expect(deploy.code, deploy.stderr).toBe(0);
    const first = await opsctl(["rollback", "--service", "webhook", "--yes"]);
    expect(first.code, first.stderr).toBe(0);
    expect(resultOf<{ target: { revision: string; source: string }; changed: boolean }>(first).target).toEqual({ revision: stable, source: "history" });
    expect(fake.servedSplit(NAME)).toEqual([{ revision: stable, percent: 100 }]);
    const mutationsAfterFirst = fake.http.mutatingCalls().length;
    const second = await opsctl(["rollback", "--service", "webhook", "--yes"]);
    expect(second.code, second.stderr).toBe(0);
    expect(resultOf<{ changed: boolean }>(second).changed).toBe(false);
    expect(fake.http.mutatingCalls().length).toBe(mutationsAfterFirst);
  });

  it("GIVEN the newest known-good revision is no longer Ready THEN rollback chooses the last healthy one", async () => {
    const [, stable] = await seedTwoRevisions();
    const first = await opsctl(["deploy", "--service", "webhook", "--image", "registry.example/webhook:healthy-v6", "--yes", "--probes-per-bake", "1"]);
    expect(first.code, first.stderr).toBe(0);
    const middle = resultOf<{ result: { candidate: string } }>(first).result.candidate;
    const second = await opsctl(["deploy", "--service", "webhook", "--image", "registry.example/webhook:healthy-v7", "--yes", "--probes-per-bake", "1"]);
    expect(second.code, second.stderr).toBe(0);
    // The revision that served before the last deploy broke since (e.g. a secret it reads was destroyed).
    fake.setRevisionReady(`${NAME}/revisions/${middle}`, false);
    const run = await opsctl(["rollback", "--service", "webhook", "--yes"]);
    expect(run.code, run.stderr).toBe(0);
    expect(resultOf<{ target: { revision: string; source: string } }>(run).target).toEqual({ revision: stable, source: "history" });
    expect(fake.servedSplit(NAME)).toEqual([{ revision: stable, percent: 100 }]);
  });

  it("GIVEN --to a revision that is not Ready THEN it is refused", async () => {
    await seedTwoRevisions();
    const failed = await opsctl(["deploy", "--service", "webhook", "--image", "registry.example/webhook:never-ready", "--yes", "--ready-timeout", "500ms"]);
    expect(failed.code).toBe(1);
    const candidate = resultOf<{ result: { candidate: string } }>(failed).result.candidate;
    const before = fake.servedSplit(NAME);
    const run = await opsctl(["rollback", "--service", "webhook", "--to", candidate, "--yes"]);
    expect(run.code).toBe(4);
    expect(run.json?.error?.code).toBe("revision_not_ready");
    expect(fake.servedSplit(NAME)).toEqual(before);
  });
});

describe("opsctl health", () => {
  it("GIVEN a healthy service THEN exit 0 with probe latencies", async () => {
    await seedTwoRevisions();
    const run = await opsctl(["health", "--service", "webhook"]);
    expect(run.code, run.stderr).toBe(0);
    const report = resultOf<{ services: Array<{ healthy: boolean; probes: Array<{ p50Ms: number; p95Ms: number }> }> }>(run).services[0];
    expect(report?.healthy).toBe(true);
    expect(report?.probes[0]?.p95Ms).toBeGreaterThanOrEqual(0);
  });

  it("GIVEN a failing serving revision and env drift THEN exit 1 naming the failing checks", async () => {
    await fake.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "registry.example/webhook:failing", env: { LOG_LEVEL: "debug" } }] });
    const run = await opsctl(["health", "--service", "webhook"]);
    expect(run.code).toBe(1);
    const report = resultOf<{ healthy: boolean; services: Array<{ checks: Array<{ name: string; ok: boolean; detail: string }> }> }>(run);
    expect(report.healthy).toBe(false);
    const failing = report.services[0]?.checks.filter((c) => !c.ok).map((c) => c.name) ?? [];
    expect(failing).toContain("probe:service");
    expect(failing.some((n) => n.startsWith("env-contract:"))).toBe(true);
    const text = await runOpsctl(["--config", config, "health", "--service", "webhook"], { env: cliEnv(fake, servers.firestoreHost) });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAIL\s+probe:service/);
  });
});
