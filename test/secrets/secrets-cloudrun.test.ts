/**
 * Rotation with Cloud Run consumers, end to end: the built opsctl against the fake Secret Manager,
 * the fake Cloud Run Admin API (real HTTP revision backends) and the Firestore emulator.
 *   --verify cloudrun  a no-traffic candidate pinned to the new version must be Ready and healthy
 *   finish / rollback  services reading `latest` are rolled onto a new, health-gated revision
 * Every output is searched at the end for every secret value used.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Firestore } from "@google-cloud/firestore";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CloudRunFake } from "../fakes/cloud-run/cloud-run-fake.js";
import { SecretManagerFake } from "../fakes/secret-manager/secret-manager-fake.js";
import { type OpsctlRun, runOpsctl } from "../harness/run-opsctl.js";

const servers = inject("servers");
process.env.FIRESTORE_EMULATOR_HOST = servers.firestoreHost;
const REGION = "southamerica-east1";
const sm = new SecretManagerFake();
let run: CloudRunFake;
let configFile: string;
const outputs: string[] = [];
const usedValues = new Set<string>();
const projects: string[] = [];

function writeEnvironment(): string {
  const dir = mkdtempSync(join(tmpdir(), "opsctl-secrets-run-"));
  const file = join(dir, "secrun.yaml");
  writeFileSync(
    file,
    `environment: secrun
stage: dev
project: { id: sec-run-proj, region: ${REGION} }
namePrefix: sr
network: { subnetCidr: 10.13.0.0/24, privateServiceRange: 10.23.0.0/16, egress: direct }
redis: {}
firestore: { location: ${REGION}, collections: [audit_logs] }
secrets:
  WHATSAPP_VERIFY_TOKEN: { rotationDays: 90, provider: hex, size: 32 }
  WHATSAPP_WEBHOOK_SECRET: { provider: hex, size: 32 }
services:
  webhook:
    image: example/webhook:healthy
    health: { path: /healthz, jsonField: status=ok, attempts: 2, timeoutMs: 2000 }
    deploy: { readyTimeout: 5s }
    env:
      WHATSAPP_VERIFY_TOKEN: { secret: WHATSAPP_VERIFY_TOKEN }
      WHATSAPP_WEBHOOK_SECRET: { secret: WHATSAPP_WEBHOOK_SECRET }
  worker:
    image: example/worker:healthy
    health: { path: /healthz, attempts: 2, timeoutMs: 2000 }
    deploy: { readyTimeout: 5s }
    env:
      WHATSAPP_WEBHOOK_SECRET: { secret: WHATSAPP_WEBHOOK_SECRET }
`,
  );
  return file;
}

let seq = 0;
/** A fresh project with both secrets at v1 and both services reading them at `latest`. */
async function setup(): Promise<string> {
  seq += 1;
  const project = `sec-run-${process.pid}-${seq}`;
  projects.push(project);
  for (const id of ["WHATSAPP_VERIFY_TOKEN", "WHATSAPP_WEBHOOK_SECRET"]) {
    const value = `${id.toLowerCase()}-seed-${seq}`;
    usedValues.add(value);
    sm.seedSecret(project, id, { versions: [{ value }] });
  }
  await run.seedService({
    project,
    location: REGION,
    name: "webhook",
    revisions: [{ image: "example/webhook:healthy", env: { WHATSAPP_VERIFY_TOKEN: { secret: "WHATSAPP_VERIFY_TOKEN" }, WHATSAPP_WEBHOOK_SECRET: { secret: "WHATSAPP_WEBHOOK_SECRET" } } }],
  });
  await run.seedService({ project, location: REGION, name: "worker", revisions: [{ image: "example/worker:healthy", env: { WHATSAPP_WEBHOOK_SECRET: { secret: "WHATSAPP_WEBHOOK_SECRET" } } }] });
  return project;
}

const svc = (project: string, id: string) => `projects/${project}/locations/${REGION}/services/${id}`;

async function opsctl(project: string, args: string[]): Promise<OpsctlRun> {
  const r = await runOpsctl(["--config", configFile, "--project", project, ...args], {
    env: {
      OPSCTL_SECRETMANAGER_ENDPOINT: sm.url,
      OPSCTL_RUN_ENDPOINT: run.url,
      OPSCTL_RUN_POLL_MS: "20",
      FIRESTORE_EMULATOR_HOST: servers.firestoreHost,
      OPSCTL_RETRY_INITIAL_MS: "5",
      OPSCTL_RETRY_TOTAL_MS: "5000",
      OPSCTL_ACTOR: "e2e@test",
      GOOGLE_CLOUD_PROJECT: undefined,
    },
  });
  outputs.push(r.stdout, r.stderr);
  return r;
}

function secretEnv(revision: { containers: { env?: { name: string; valueSource?: { secretKeyRef?: { secret: string; version?: string } } }[] }[] }, name: string): string | undefined {
  return revision.containers[0]?.env?.find((e) => e.name === name)?.valueSource?.secretKeyRef?.version;
}

function keepValues(project: string, id: string): void {
  for (const v of sm.secret(project, id)?.versions ?? []) if (v.value) usedValues.add(v.value);
}

async function audit(project: string, secret: string): Promise<Record<string, unknown>[]> {
  const db = new Firestore({ projectId: project });
  try {
    const snap = await db.collection("audit_logs").where("secret", "==", secret).get();
    return snap.docs.map((d) => d.data()).sort((a, b) => (a.at as { toMillis(): number }).toMillis() - (b.at as { toMillis(): number }).toMillis());
  } finally {
    await db.terminate();
  }
}

interface RotateJson {
  outcome: string;
  version: number;
  resumed: boolean;
  steps: { step: string; outcome: string; detail: string }[];
  rolled: { service: string; revision: string; reads: string; outcome: string }[];
}

beforeAll(async () => {
  await sm.start();
  run = new CloudRunFake({ readyDelayMs: 30 });
  await run.start();
  configFile = writeEnvironment();
});

afterAll(async () => {
  await sm.stop();
  await run.stop();
});

describe("opsctl secrets with Cloud Run consumers (built CLI, fake Secret Manager + Cloud Run, Firestore emulator)", () => {
  it("GIVEN --verify cloudrun WHEN the candidate pinned to the new version is healthy THEN the consumer is rolled onto a revision reading latest = the new version, and health passes", async () => {
    const project = await setup();
    const webhook = svc(project, "webhook");
    const r = await opsctl(project, ["secrets", "rotate", "WHATSAPP_VERIFY_TOKEN", "--generate", "hex:32", "--verify", "cloudrun", "--yes", "--json"]);
    keepValues(project, "WHATSAPP_VERIFY_TOKEN");
    expect(r.code, r.stderr).toBe(0);
    const result = r.json?.result as RotateJson;
    expect(result.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual(["create:ok", "set:skipped", "test:ok", "roll:ok", "finish:ok"]);
    expect(result.rolled).toHaveLength(1);
    const rolled = result.rolled[0];
    expect(rolled).toMatchObject({ service: "webhook", reads: "latest", outcome: "rolled" });

    // the candidate was pinned to the new version number and never served traffic
    const revisions = run.revisionsOf(webhook);
    const candidate = revisions.find((x) => x.name.includes("-sc2-"));
    expect(candidate && secretEnv(candidate, "WHATSAPP_VERIFY_TOKEN")).toBe("2");
    // the consumer now serves the roll revision, reading latest (= v2)
    expect(run.servedSplit(webhook)).toEqual([{ revision: rolled?.revision, percent: 100 }]);
    const serving = run.revision(`${webhook}/revisions/${rolled?.revision}`);
    expect(secretEnv(serving, "WHATSAPP_VERIFY_TOKEN")).toBe("latest");
    expect(secretEnv(serving, "WHATSAPP_WEBHOOK_SECRET")).toBe("latest");
    // latest = the newest version = the one the candidate was verified with
    expect(Math.max(...(sm.secret(project, "WHATSAPP_VERIFY_TOKEN")?.versions.map((v) => v.number) ?? []))).toBe(2);
    expect(run.service(webhook).traffic).toEqual([{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }]);
    // the other service does not read this secret: untouched
    expect(run.revisionsOf(svc(project, "worker"))).toHaveLength(1);

    const records = await audit(project, "WHATSAPP_VERIFY_TOKEN");
    expect(records.map((a) => `${a.step}:${a.outcome}:${a.version}`)).toEqual(["create:ok:2", "set:skipped:2", "test:ok:2", "roll:ok:2", "finish:ok:2"]);
    expect(String(records.find((a) => a.step === "roll")?.detail)).toContain(rolled?.revision);

    // the contract says latest and the serving revision reads latest: no env drift
    const health = await opsctl(project, ["health", "--service", "webhook", "--json"]);
    expect(health.code, health.stdout).toBe(0);
  });

  it("GIVEN a candidate that fails its probe with the new version WHEN rotating with --verify cloudrun THEN exit 1, the new version is disabled and the traffic is unchanged", async () => {
    const project = await setup();
    const webhook = svc(project, "webhook");
    run.failWhenSecretMounted("WHATSAPP_VERIFY_TOKEN", "2");
    const before = run.servedSplit(webhook);
    const r = await opsctl(project, ["secrets", "rotate", "WHATSAPP_VERIFY_TOKEN", "--generate", "hex:32", "--verify", "cloudrun", "--yes", "--json"]);
    keepValues(project, "WHATSAPP_VERIFY_TOKEN");
    expect(r.code, r.stderr).toBe(1);
    const result = r.json?.result as RotateJson;
    expect(result.outcome).toBe("test-failed");
    expect(result.steps.find((s) => s.step === "test")?.detail).toMatch(/candidate-probe/);
    expect(result.rolled).toEqual([]);
    expect(sm.version(project, "WHATSAPP_VERIFY_TOKEN", 2)?.state).toBe("DISABLED");
    expect(run.servedSplit(webhook)).toEqual(before);
    const svcNow = run.service(webhook);
    expect(svcNow.traffic.some((t) => t.tag)).toBe(false);
    // the template reads latest again: the next deploy does not build on the disabled version
    expect(svcNow.template.containers[0]?.env?.find((e) => e.name === "WHATSAPP_VERIFY_TOKEN")?.valueSource?.secretKeyRef?.version).toBe("latest");
    const records = await audit(project, "WHATSAPP_VERIFY_TOKEN");
    expect(records.map((a) => `${a.step}:${a.outcome}`)).toEqual(["create:ok", "set:skipped", "test:failed", "abort:ok", "restore-latest:ok"]);
  });

  it("GIVEN a crash mid-finish after the consumers were rolled WHEN the same command runs again THEN it completes without rolling them twice", async () => {
    const project = await setup();
    sm.failNth("PATCH", 5); // creating, created, set, tested, finish → the finish update fails
    const crashed = await opsctl(project, ["secrets", "rotate", "WHATSAPP_WEBHOOK_SECRET", "--generate", "hex:32", "--yes", "--json"]);
    keepValues(project, "WHATSAPP_WEBHOOK_SECRET");
    expect(crashed.code, crashed.stderr).toBe(3);
    expect(sm.secret(project, "WHATSAPP_WEBHOOK_SECRET")?.annotations["opsctl.rotation-step"]).toBe("tested");
    const counts = ["webhook", "worker"].map((s) => run.revisionsOf(svc(project, s)).length);
    expect(counts).toEqual([2, 2]);

    const again = await opsctl(project, ["secrets", "rotate", "WHATSAPP_WEBHOOK_SECRET", "--generate", "hex:32", "--yes", "--json"]);
    keepValues(project, "WHATSAPP_WEBHOOK_SECRET");
    expect(again.code, again.stderr).toBe(0);
    const result = again.json?.result as RotateJson;
    expect(result.resumed).toBe(true);
    expect(result.rolled.map((x) => `${x.service}:${x.outcome}`).sort()).toEqual(["webhook:already", "worker:already"]);
    expect(["webhook", "worker"].map((s) => run.revisionsOf(svc(project, s)).length)).toEqual(counts);
    expect(sm.secret(project, "WHATSAPP_WEBHOOK_SECRET")?.versionAliases).toEqual({ current: 2, previous: 1 });
    const records = await audit(project, "WHATSAPP_WEBHOOK_SECRET");
    expect(records.filter((a) => a.step === "roll").map((a) => a.outcome)).toEqual(["ok", "ok", "ok", "ok"]);
  });

  it("GIVEN a rotated secret WHEN rolling back THEN the consumers are rolled onto a revision reading the restored value", async () => {
    const project = await setup();
    const webhook = svc(project, "webhook");
    const rotated = await opsctl(project, ["secrets", "rotate", "WHATSAPP_VERIFY_TOKEN", "--generate", "hex:32", "--yes", "--json"]);
    keepValues(project, "WHATSAPP_VERIFY_TOKEN");
    expect(rotated.code, rotated.stderr).toBe(0);
    const back = await opsctl(project, ["secrets", "rollback", "WHATSAPP_VERIFY_TOKEN", "--yes", "--json"]);
    keepValues(project, "WHATSAPP_VERIFY_TOKEN");
    expect(back.code, back.stderr).toBe(0);
    const result = back.json?.result as { from: number; to: number; latestVersion: number; rolled: { service: string; revision: string; reads: string }[] };
    expect(result).toMatchObject({ from: 2, to: 1, latestVersion: 3 });
    expect(result.rolled.map((x) => `${x.service}:${x.reads}`)).toEqual(["webhook:latest"]);
    expect(result.rolled[0]?.revision).toContain("-sb3-");
    expect(run.servedSplit(webhook)).toEqual([{ revision: result.rolled[0]?.revision, percent: 100 }]);
    expect(sm.version(project, "WHATSAPP_VERIFY_TOKEN", 3)?.value).toBe(sm.version(project, "WHATSAPP_VERIFY_TOKEN", 1)?.value);
    const records = await audit(project, "WHATSAPP_VERIFY_TOKEN");
    expect(records.filter((a) => a.step === "roll").map((a) => a.version)).toEqual([2, 3]);
  });

  it("GIVEN every run above WHEN searching all captured output and audit records THEN no secret value appears", async () => {
    const docs: string[] = [];
    for (const project of projects) {
      const db = new Firestore({ projectId: project });
      docs.push(...(await db.collection("audit_logs").get()).docs.map((d) => JSON.stringify(d.data())));
      await db.terminate();
    }
    expect(usedValues.size).toBeGreaterThan(8);
    const all = [...outputs, ...docs].join("\n");
    for (const value of usedValues) {
      const at = all.indexOf(value);
      const context = at < 0 ? "" : all.slice(Math.max(0, at - 200), at + value.length + 50).split(value).join("<VALUE>");
      expect(context, "a secret value leaked into output").toBe("");
    }
  });
});
