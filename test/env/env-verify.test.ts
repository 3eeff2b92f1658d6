/**
 * opsctl env verify, end to end: the built CLI against the fake Cloud Run Admin API (services,
 * revisions, traffic), the fake Secret Manager (version states) and the fake Memorystore API of the
 * network fake (redis host/port), with drift of each kind planted in the revisions serving traffic.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CloudRunFake, type SeedRevision } from "../fakes/cloud-run/cloud-run-fake.js";
import { type GcpNetworkFake, startGcpNetworkFake } from "../fakes/gcp-network/index.js";
import { SecretManagerFake } from "../fakes/secret-manager/secret-manager-fake.js";
import { type OpsctlRun, runOpsctl } from "../harness/run-opsctl.js";

const PROJECT = "envv-proj";
const REGION = "europe-west1";
const REDIS_IP = "10.30.0.4";
/** secret values seeded into the fake: none may ever appear in the output */
const VALUES = ["tok-v1-7f3a9c", "tok-v2-81bd02", "tok-v3-c0ffee", "rsa-v1-aa11", "rsa-v2-bb22", "verify-v1-dd44"];

const CONFIG = `environment: envv
stage: dev
project: { id: ${PROJECT}, region: ${REGION} }
namePrefix: ev
network: { subnetCidr: 10.14.0.0/24, privateServiceRange: 10.24.0.0/16, egress: direct }
redis: { transitEncryption: false }
firestore: { location: ${REGION}, deleteProtection: false, collections: [audit_logs] }
buckets:
  media: { retentionDays: 90 }
topics:
  whatsapp-inbound-messages: {}
secrets:
  WHATSAPP_ACCESS_TOKEN: { provider: manual }
  WHATSAPP_VERIFY_TOKEN: { provider: manual }
  RSA_PRIVATE_KEY: { provider: manual }
services:
  webhook:
    image: example/webhook:1
    env:
      LOG_LEVEL: { value: info }
  worker:
    image: example/worker:1
    env:
      PROJECT_ID: { from: project.id }
      REDIS_HOST: { from: redis.host }
      REDIS_PORT: { from: redis.port }
      BUCKET_NAME: { from: bucket.media.name }
      INBOUND_TOPIC: { from: topic.whatsapp-inbound-messages.id }
      WEBHOOK_URL: { from: service.webhook.url }
      WHATSAPP_ACCESS_TOKEN: { secret: WHATSAPP_ACCESS_TOKEN }
      RSA_PRIVATE_KEY: { secret: RSA_PRIVATE_KEY, version: "2" }
      LOG_LEVEL: { value: info }
`;

let configFile: string;
let run: CloudRunFake;
let sm: SecretManagerFake;
let network: GcpNetworkFake;
let webhookUrl: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "opsctl-env-verify-"));
  configFile = join(dir, "envv.yaml");
  writeFileSync(configFile, CONFIG);
});

beforeEach(async () => {
  run = new CloudRunFake({ readyDelayMs: 10 });
  await run.start();
  sm = new SecretManagerFake();
  await sm.start();
  network = await startGcpNetworkFake({ project: PROJECT, region: REGION });
  network.world.addNetwork("ev-vpc").addRedis("ev-redis", "ev-vpc", undefined, { host: REDIS_IP, port: 6378 });
  await run.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "example/webhook:1", env: { LOG_LEVEL: "info" } }] });
  webhookUrl = run.service(`projects/${PROJECT}/locations/${REGION}/services/webhook`).uri;
  sm.seedSecret(PROJECT, "WHATSAPP_ACCESS_TOKEN", { versions: [{ value: "tok-v1-7f3a9c" }, { value: "tok-v2-81bd02" }] });
  sm.seedSecret(PROJECT, "RSA_PRIVATE_KEY", { versions: [{ value: "rsa-v1-aa11" }, { value: "rsa-v2-bb22" }] });
  sm.seedSecret(PROJECT, "WHATSAPP_VERIFY_TOKEN", { versions: [{ value: "verify-v1-dd44" }] });
});

afterEach(async () => {
  await Promise.all([run.stop(), sm.stop(), network.stop()]);
});

/** The worker env that matches the contract exactly. */
function cleanWorkerEnv(): NonNullable<SeedRevision["env"]> {
  return {
    PROJECT_ID: PROJECT,
    REDIS_HOST: REDIS_IP,
    REDIS_PORT: "6378",
    BUCKET_NAME: `${PROJECT}-media`,
    INBOUND_TOPIC: `projects/${PROJECT}/topics/whatsapp-inbound-messages`,
    WEBHOOK_URL: webhookUrl,
    WHATSAPP_ACCESS_TOKEN: { secret: "WHATSAPP_ACCESS_TOKEN", version: "latest" },
    RSA_PRIVATE_KEY: { secret: `projects/${PROJECT}/secrets/RSA_PRIVATE_KEY`, version: "2" },
    LOG_LEVEL: "info",
  };
}

interface VerifyJson {
  clean: boolean;
  driftCount: number;
  unresolved: Record<string, string>;
  services: Array<{ service: string; found: boolean; revisions: Array<{ revision: string; percent: number; drift: Array<{ name: string; kind: string; expected: string; actual: string }> }> }>;
}

function verify(args: string[], extraEnv: Record<string, string> = {}): Promise<OpsctlRun> {
  return runOpsctl(["env", "verify", "--config", configFile, ...args], {
    env: {
      OPSCTL_RUN_ENDPOINT: run.url,
      OPSCTL_SECRETMANAGER_ENDPOINT: sm.url,
      OPSCTL_REDIS_ENDPOINT: network.env.OPSCTL_REDIS_ENDPOINT ?? "",
      OPSCTL_RETRY_INITIAL_MS: "5",
      OPSCTL_RETRY_TOTAL_MS: "2000",
      GOOGLE_CLOUD_PROJECT: undefined,
      ...extraEnv,
    },
  });
}

const resultOf = (r: OpsctlRun): VerifyJson => {
  if (r.json?.result === undefined) throw new Error(`no --json result (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.json.result as VerifyJson;
};

function expectNoSecretValue(r: OpsctlRun): void {
  for (const v of VALUES) {
    expect(r.stdout).not.toContain(v);
    expect(r.stderr).not.toContain(v);
  }
}

describe("opsctl env verify (built CLI, Cloud Run + Secret Manager + Memorystore fakes)", () => {
  it("GIVEN every serving revision matches the resolved contract THEN exit 0, no drift, in the table and in --json", async () => {
    await run.seedService({ project: PROJECT, location: REGION, name: "worker", revisions: [{ image: "example/worker:1", env: cleanWorkerEnv() }, { image: "example/worker:2", env: cleanWorkerEnv() }], traffic: [{ revision: 0, percent: 30 }, { revision: 1, percent: 70 }] });
    const json = await verify(["--json"]);
    expect(json.code, json.stderr).toBe(0);
    const result = resultOf(json);
    expect(result.clean).toBe(true);
    expect(result.unresolved).toEqual({});
    const worker = result.services.find((s) => s.service === "worker");
    expect(worker?.revisions.map((r) => r.percent).sort()).toEqual([30, 70]);

    const human = await verify([]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("no drift");
    expectNoSecretValue(json);
    expectNoSecretValue(human);
  });

  it("GIVEN drift of each kind planted in the latest and in an older revision still serving 10% THEN each is reported with var, expected and actual, exit 1", async () => {
    // The newest version of WHATSAPP_ACCESS_TOKEN is disabled (what `latest` resolves to), RSA_PRIVATE_KEY 2 is disabled, 1 destroyed.
    sm.seedSecret(PROJECT, "WHATSAPP_ACCESS_TOKEN", { versions: [{ value: "tok-v1-7f3a9c" }, { value: "tok-v2-81bd02" }, { value: "tok-v3-c0ffee", state: "DISABLED" }] });
    sm.seedSecret(PROJECT, "RSA_PRIVATE_KEY", { versions: [{ value: "rsa-v1-aa11", state: "DESTROYED" }, { value: "rsa-v2-bb22", state: "DISABLED" }] });
    const withoutProject = cleanWorkerEnv();
    delete withoutProject.PROJECT_ID;
    const latest = {
      ...withoutProject,
      BUCKET_NAME: `${PROJECT}-midia`,
      NOME_BUCKET_MIDIAS_MIA: `${PROJECT}-media`,
      WHATSAPP_ACCESS_TOKEN: "EAAliteraltokenpastedbyhand",
      LOG_LEVEL: { secret: "WHATSAPP_VERIFY_TOKEN" },
    };
    const older = { ...cleanWorkerEnv(), REDIS_HOST: "localhost", RSA_PRIVATE_KEY: { secret: "RSA_PRIVATE_KEY", version: "1" } };
    await run.seedService({ project: PROJECT, location: REGION, name: "worker", revisions: [{ image: "example/worker:1", env: older }, { image: "example/worker:2", env: latest }], traffic: [{ revision: 0, percent: 10 }, { latest: true, percent: 90 }] });

    const json = await verify(["--service", "worker", "--json"]);
    expect(json.code, json.stderr).toBe(1);
    const result = resultOf(json);
    expect(result.clean).toBe(false);
    const revisions = result.services[0]?.revisions ?? [];
    const byPercent = (p: number) => (revisions.find((r) => r.percent === p)?.drift ?? []).map((d) => [d.name, d.kind, d.expected, d.actual]);
    expect(byPercent(90)).toEqual([
      ["PROJECT_ID", "missing", PROJECT, "(unset)"],
      ["BUCKET_NAME", "wrong-value", `"${PROJECT}-media"`, `"${PROJECT}-midia"`],
      ["WHATSAPP_ACCESS_TOKEN", "literal-for-secret", "secret WHATSAPP_ACCESS_TOKEN:latest", "a literal"],
      ["LOG_LEVEL", "secret-for-literal", '"info"', "secret WHATSAPP_VERIFY_TOKEN:latest"],
      ["NOME_BUCKET_MIDIAS_MIA", "unexpected", "(not in the contract)", `"${PROJECT}-media"`],
      ["RSA_PRIVATE_KEY", "secret-version-disabled", "version ENABLED", "secret RSA_PRIVATE_KEY:2 DISABLED"],
    ]);
    expect(byPercent(10)).toEqual([
      ["REDIS_HOST", "local-address", REDIS_IP, '"localhost"'],
      ["RSA_PRIVATE_KEY", "wrong-secret-version", "secret RSA_PRIVATE_KEY:2", "secret RSA_PRIVATE_KEY:1"],
      ["WHATSAPP_ACCESS_TOKEN", "secret-latest-not-enabled", "newest version ENABLED", "secret WHATSAPP_ACCESS_TOKEN:latest → 3 DISABLED"],
      ["RSA_PRIVATE_KEY", "secret-version-destroyed", "version ENABLED", "secret RSA_PRIVATE_KEY:1 DESTROYED"],
    ]);
    expect(result.driftCount).toBe(10);

    const human = await verify(["--service", "worker"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/REDIS_HOST\s+local-address\s+10\.30\.0\.4\s+"localhost"/);
    expect(human.stdout).toContain("10 drift finding(s)");
    expectNoSecretValue(json);
    expectNoSecretValue(human);
    expect(human.stdout).not.toContain("EAAliteraltokenpastedbyhand");
  });

  it("GIVEN --redis-host/--redis-port THEN those are the expected values and Memorystore is not asked", async () => {
    await run.seedService({ project: PROJECT, location: REGION, name: "worker", revisions: [{ image: "example/worker:1", env: cleanWorkerEnv() }] });
    const r = await verify(["--service", "worker", "--json", "--redis-host", "10.99.0.9", "--redis-port", "6378"], { OPSCTL_REDIS_ENDPOINT: "http://127.0.0.1:9" });
    expect(r.code, r.stderr).toBe(1);
    expect(resultOf(r).services[0]?.revisions[0]?.drift.map((d) => [d.name, d.kind, d.expected, d.actual])).toEqual([["REDIS_HOST", "wrong-value", '"10.99.0.9"', `"${REDIS_IP}"`]]);
  });

  it("GIVEN a service the document declares but the project lacks and a Memorystore instance that is gone THEN it is drift, and redis values are reported as not checked", async () => {
    network.world.redis.clear();
    const r = await verify(["--json"]);
    expect(r.code, r.stderr).toBe(1);
    const result = resultOf(r);
    expect(result.services.find((s) => s.service === "worker")?.found).toBe(false);
    expect(Object.keys(result.unresolved).sort()).toEqual(["redis.host", "redis.port"]);
  });

  it("GIVEN an unknown --service THEN exit 2 with a did-you-mean", async () => {
    const r = await verify(["--service", "wroker", "--json"]);
    expect(r.code).toBe(2);
    expect(r.json?.error?.message).toContain('did you mean "worker"?');
  });

  it("GIVEN the Cloud Run API keeps failing THEN exit 3 naming what was read", async () => {
    run.http.injectFault(503, 1000);
    const r = await verify(["--service", "webhook", "--json"]);
    expect(r.code).toBe(3);
    expect(r.json?.error?.message).toContain("reading Cloud Run service");
  });
});
