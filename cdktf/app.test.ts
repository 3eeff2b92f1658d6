/**
 * The environments end to end through the CDKTF app (in process): deterministic output, the seed
 * incidents as regression tests, and the wiring table in step with the contract.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { App, TerraformStack } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { availableSources } from "../config/env-contract.js";
import { loadConfigFile } from "../config/load.js";
import type { EnvironmentConfig } from "../config/schema.js";
import { GoogleProject } from "../modules/project/index.js";
import { PubsubTopic } from "../modules/pubsub-topic/index.js";
import { SynthInputError, synthEnvironment, synthesize } from "./synth-environment.js";
import { DataStack } from "./stacks/data-stack.js";
import { NetworkStack } from "./stacks/network-stack.js";
import { lintDirectory } from "./validation/run-rules.js";
import { baseSourceTable } from "./wiring/source-table.js";

const configDir = fileURLToPath(new URL("../config/", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "opsctl-synth-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function envConfig(name: string): EnvironmentConfig {
  const loaded = loadConfigFile(join(configDir, `${name}.yaml`));
  if (!loaded.config) throw new Error(`${name}.yaml is invalid: ${JSON.stringify(loaded.issues)}`);
  return loaded.config;
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full), readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return out;
}

type Json = Record<string, unknown>;
const stackJson = (dir: string, stack: string) => JSON.parse(readFileSync(join(dir, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, Json>> };
const resourcesOf = (dir: string, stack: string, type: string) => Object.values(stackJson(dir, stack).resource[type] ?? {});
const envOf = (service: Json) => (((service.template as Json).containers as Json[])[0]?.env ?? []) as { name: string; value?: string; value_source?: unknown }[];

const devDir = join(tmp, "dev-a");
synthEnvironment(envConfig("dev"), devDir);

describe.each(["dev", "staging", "prod"])("environment %s", (env) => {
  it("synthesizes its four stacks byte-identically twice, with no policy error", () => {
    const a = env === "dev" ? devDir : join(tmp, `${env}-a`);
    if (env !== "dev") synthEnvironment(envConfig(env), a);
    synthEnvironment(envConfig(env), join(tmp, `${env}-b`));
    const first = files(a);
    expect([...first.keys()].filter((f) => f.endsWith("cdk.tf.json")).sort()).toEqual(["stacks/data/cdk.tf.json", "stacks/network/cdk.tf.json", "stacks/ops/cdk.tf.json", "stacks/services/cdk.tf.json"]);
    expect(files(join(tmp, `${env}-b`))).toEqual(first);
    const { findings } = lintDirectory(a);
    expect(findings.filter((f) => f.level === "error")).toEqual([]);
  });
});

describe("stacks", () => {
  it("depend only downward: network → data → services → ops", () => {
    const manifest = JSON.parse(readFileSync(join(devDir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies: string[] }> };
    expect(manifest.stacks.network?.dependencies).toEqual([]);
    expect(manifest.stacks.data?.dependencies).toEqual(["network"]);
    expect([...(manifest.stacks.services?.dependencies ?? [])].sort()).toEqual(["data", "network"]);
    // alerting refers to services by name only; the explicit dependency orders it last for apply
    expect(manifest.stacks.ops?.dependencies).toEqual(["services"]);
  });

  it("use a GCS backend per environment and stack, and label every labelled resource", () => {
    const network = stackJson(devDir, "network") as unknown as { terraform: { backend: Json } };
    expect(network.terraform.backend).toEqual({ gcs: { bucket: "wa-bot-dev-tfstate", prefix: "opsctl/dev/network" } });
    for (const bucket of resourcesOf(devDir, "data", "google_storage_bucket")) expect(bucket.labels).toMatchObject({ app: "whatsapp-bot", env: "dev", "managed-by": "opsctl" });
  });

  it("use a local backend, one state file per environment and stack, when config says so", () => {
    const dir = join(tmp, "local-backend");
    synthEnvironment({ ...envConfig("dev"), backend: { type: "local", dir: "terraform-state" } }, dir);
    const data = stackJson(dir, "data") as unknown as { terraform: { backend: Json } };
    expect(data.terraform.backend).toEqual({ local: { path: "../../../terraform-state/dev/data.tfstate" } });
  });

  it("enable the required APIs in the network stack", () => {
    const apis = resourcesOf(devDir, "network", "google_project_service").map((s) => s.service);
    expect(apis).toEqual(expect.arrayContaining(["run.googleapis.com", "redis.googleapis.com", "servicenetworking.googleapis.com", "secretmanager.googleapis.com"]));
  });

  it("provision the idempotency checker job and its hourly scheduler", () => {
    const [job] = resourcesOf(devDir, "services", "google_cloud_run_v2_job");
    expect(job?.name).toBe("idempotency-check");
    const [sched] = resourcesOf(devDir, "services", "google_cloud_scheduler_job");
    expect(JSON.stringify(sched?.http_target)).toMatch(/jobs\/\$\{google_cloud_run_v2_job\.[^}]+\.name\}:run/);
  });
});

describe("seed regressions", () => {
  const services = () => Object.fromEntries(resourcesOf(devDir, "services", "google_cloud_run_v2_service").map((s) => [s.name as string, envOf(s)]));

  it("REDIS_HOST / REDIS_PORT come from the Redis instance, never a literal localhost (seed 000)", () => {
    for (const env of Object.values(services())) {
      const host = env.find((e) => e.name === "REDIS_HOST");
      const port = env.find((e) => e.name === "REDIS_PORT");
      expect(host?.value).toMatch(/google_redis_instance.*host/);
      expect(port?.value).toMatch(/google_redis_instance.*port/);
    }
  });

  it("BUCKET_NAME comes from the media bucket and PROJECT_ID is present (seed 000)", () => {
    const worker = services().worker ?? [];
    expect(worker.find((e) => e.name === "BUCKET_NAME")?.value).toMatch(/google_storage_bucket\.?bucket-media/);
    for (const env of Object.values(services())) expect(env.find((e) => e.name === "PROJECT_ID")?.value).toBe("wa-bot-dev");
  });

  it("refuses a reserved name at synth with a clear message, even for a document that skipped validation (seed 001)", () => {
    const raw = structuredClone(envConfig("dev")) as EnvironmentConfig;
    raw.services.webhook = { ...(raw.services.webhook as EnvironmentConfig["services"][string]), env: { ...raw.services.webhook?.env, PORT: { value: "8080" } } };
    expect(() => synthEnvironment(raw, join(tmp, "reserved"))).toThrow(/services\.webhook\.env\.PORT: "PORT" is reserved: Cloud Run sets it/);
  });

  it("refuses unknown sources with did-you-mean and unwired required vars", () => {
    const raw = structuredClone(envConfig("dev")) as EnvironmentConfig;
    const worker = raw.services.worker as EnvironmentConfig["services"][string];
    worker.env = { ...worker.env, REDIS_HOST: { from: "redis.hostname" } };
    delete worker.env.BUCKET_NAME;
    worker.publishes = [...worker.publishes, "audit-event"];
    let error: unknown;
    try {
      synthEnvironment(raw, join(tmp, "unwired"));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SynthInputError);
    expect((error as SynthInputError).problems).toEqual(
      expect.arrayContaining([
        'services.worker.env.REDIS_HOST: unknown source "redis.hostname"; did you mean "redis.host"?',
        expect.stringMatching(/services\.worker\.requiredEnv\.\d: "BUCKET_NAME" is required but not wired/),
        'services.worker.publishes.3: unknown topic "audit-event"; did you mean "audit-events"?',
      ]),
    );
  });

  it("refuses a raw document of the wrong shape with the path of each bad field", () => {
    expect(() => synthEnvironment({ environment: "dev", stage: "dev", project: { id: "wa-bot-dev" } }, join(tmp, "shape"))).toThrow(/does not match the schema[\s\S]*project\.region/);
  });

  it("refuses a literal localhost for REDIS_HOST", () => {
    const raw = structuredClone(envConfig("dev")) as EnvironmentConfig;
    (raw.services.worker as EnvironmentConfig["services"][string]).env.REDIS_HOST = { value: "localhost" };
    expect(() => synthEnvironment(raw, join(tmp, "localhost"))).toThrow(/points at the container itself/);
  });

  it("refuses `Project` + `project` labels (seed 001)", () => {
    const raw = { ...envConfig("dev"), labels: { Project: "a", project: "b" } };
    expect(() => synthEnvironment(raw, join(tmp, "labels"))).toThrow(/"project" duplicates "Project"/);
  });

  it("refuses a stack cycle and reports its path (seed 001)", () => {
    const app = new App({ outdir: join(tmp, "cycle"), stackTraces: false });
    const a = new TerraformStack(app, "data");
    const b = new TerraformStack(app, "services");
    for (const s of [a, b]) new GoogleProject(s, "project", { project: "p-12345", region: "r" });
    const agent = "serviceAccount:x@y";
    const low = new PubsubTopic(a, "low", { name: "low", pubsubServiceAgent: agent });
    const high = new PubsubTopic(b, "high", { name: low.topic.name, pubsubServiceAgent: agent });
    new PubsubTopic(a, "back", { name: high.topic.name, pubsubServiceAgent: agent });
    expect(() => synthesize(app)).toThrow(/stack dependency cycle: (data → services → data|services → data → services)/);
  });

  it("refuses services that read each other's URL, with the cycle's path", () => {
    const raw = structuredClone(envConfig("dev")) as EnvironmentConfig;
    (raw.services.webhook as EnvironmentConfig["services"][string]).env.WORKER_URL = { from: "service.worker.url" };
    (raw.services.worker as EnvironmentConfig["services"][string]).env.WEBHOOK_URL = { from: "service.webhook.url" };
    expect(() => synthEnvironment(raw, join(tmp, "url-cycle"))).toThrow(/read each other's URL in a cycle: webhook → worker → webhook/);
  });

  it("wires one service's URL into another that calls it", () => {
    const raw = structuredClone(envConfig("dev")) as EnvironmentConfig;
    (raw.services.webhook as EnvironmentConfig["services"][string]).env.WORKER_URL = { from: "service.worker.url" };
    const dir = join(tmp, "url");
    synthEnvironment(raw, dir);
    const webhook = resourcesOf(dir, "services", "google_cloud_run_v2_service").find((s) => s.name === "webhook") as Json;
    expect(envOf(webhook).find((e) => e.name === "WORKER_URL")?.value).toMatch(/^\$\{google_cloud_run_v2_service\.service-worker_service_[A-F0-9]+\.uri\}$/);
  });

  it("no secret value appears anywhere in cdktf.out: no versions, secret-named vars use secret_key_ref", () => {
    for (const [file, text] of files(devDir)) {
      expect(text, file).not.toMatch(/secret_data|-----BEGIN|"EAA[A-Za-z0-9]{20,}/);
    }
    for (const env of Object.values(services())) {
      for (const e of env.filter((v) => /TOKEN|SECRET|PASSWORD/.test(v.name))) expect(e.value_source, e.name).toBeDefined();
    }
  });
});

describe("wiring table", () => {
  it("provides exactly the sources the contract declares available", () => {
    const config = envConfig("prod");
    const app = new App({ outdir: join(tmp, "table") });
    const network = new NetworkStack(app, config);
    const data = new DataStack(app, config, network);
    const table = baseSourceTable(config, data);
    const services = Object.keys(config.services).map((s) => `service.${s}.url`);
    expect([...table.keys(), ...services].sort()).toEqual([...availableSources(config).keys()].sort());
  });
});
