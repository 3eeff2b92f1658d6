import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { environmentJsonSchema } from "./json-schema.js";
import { loadConfigFile, validateConfig } from "./load.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
const devRaw = (): Record<string, any> => parse(readFileSync(`${dir}dev.yaml`, "utf8"));
const messages = (raw: unknown) => validateConfig(raw).issues.map((i) => `${i.path}: ${i.message}`);

describe("shipped environment documents", () => {
  it.each(["dev", "staging", "prod"])("GIVEN config/%s.yaml THEN it is valid with no warnings", (env) => {
    const loaded = loadConfigFile(`${dir}${env}.yaml`);
    expect(loaded.issues).toEqual([]);
    expect(loaded.config?.environment).toBe(env);
  });

  it("GIVEN prod THEN Redis has AUTH, TLS and a read replica, Firestore is protected", () => {
    const prod = loadConfigFile(`${dir}prod.yaml`).config!;
    expect(prod.redis).toMatchObject({ authEnabled: true, transitEncryption: true, tier: "STANDARD_HA", readReplicas: 1, evictionPolicy: "volatile-lru" });
    expect(prod.firestore).toMatchObject({ deleteProtection: true, pointInTimeRecovery: true });
  });

  it("GIVEN the reference deployment THEN it has the seed-004 topics, buckets, secrets and idempotency mapping", () => {
    const dev = loadConfigFile(`${dir}dev.yaml`).config!;
    expect(Object.keys(dev.topics).sort()).toEqual(["audit-events", "handoff-human", "whatsapp-inbound-messages", "whatsapp-outbound-responses"]);
    expect(dev.buckets.media).toMatchObject({ retentionDays: 90, versioning: false, public: false });
    expect(dev.buckets.exports).toMatchObject({ retentionDays: 180, public: false });
    expect(Object.keys(dev.secrets).sort()).toEqual(["REDIS_PASSWORD", "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_WEBHOOK_SECRET"]);
    expect(dev.firestore.collections).toEqual(["conversations", "user_profiles", "audit_logs", "messages"]);
    expect(dev.firestore.indexes).toHaveLength(1);
    expect(dev.idempotency).toMatchObject({ keyPrefix: "idempotency:", document: { collection: "messages", field: "metadata.platformMessageId" } });
    expect(dev.services.webhook?.public).toBe(true);
    expect(dev.services.worker?.ingress).toBe("internal");
    // seed 000: the worker reads these and they were missing or misnamed
    expect(dev.services.worker?.env).toMatchObject({ REDIS_HOST: { from: "redis.host" }, PROJECT_ID: { from: "project.id" }, BUCKET_NAME: { from: "bucket.media.name" }, META_PHONE_NUMBER_ID: { secret: "WHATSAPP_PHONE_NUMBER_ID", version: "latest" } });
  });

  it("GIVEN a document with defaults omitted WHEN loaded THEN defaults are filled", () => {
    const dev = loadConfigFile(`${dir}dev.yaml`).config!;
    expect(dev.services.worker?.deploy).toEqual({ steps: [10, 50, 100], bake: "2m", readyTimeout: "5m", candidateTag: "candidate", maxErrorRate: 0.01, maxP95Ms: 2000 });
    expect(dev.topics["audit-events"]?.subscriptions["audit-pull"]?.retry).toEqual({ minimumBackoff: "10s", maximumBackoff: "600s" });
  });
});

describe("validation reports every problem with its path", () => {
  it("GIVEN several schema errors THEN all are reported at once, with did-you-mean", () => {
    const raw = devRaw();
    raw.redis.evictionPolicy = "volatile-lr";
    raw.redis.tierr = "BASIC";
    raw.services.worker.env.X = { form: "redis.host" };
    raw.project.id = "BAD_ID";
    const out = messages(raw);
    expect(out).toContain('redis.evictionPolicy: expected one of "volatile-lru", "allkeys-lru", "volatile-ttl", "noeviction", got "volatile-lr"; did you mean "volatile-lru"?');
    expect(out).toContain('redis: unknown field "tierr"; did you mean "tier"?');
    expect(out.find((m) => m.startsWith("services.worker.env.X:"))).toContain('did you mean "from"?');
    expect(out.find((m) => m.startsWith("project.id:"))).toBeDefined();
    expect(out).toHaveLength(4);
  });

  it("GIVEN a missing required section THEN the message says it is missing", () => {
    const raw = devRaw();
    delete raw.network;
    expect(messages(raw)).toContain("network: required object is missing");
  });

  it("GIVEN cross-field mistakes THEN every one is reported with its path", () => {
    const raw = devRaw();
    raw.services.worker.env.REDIS_HOST = { from: "redis.hostname" };
    raw.services.worker.env.PORT = { value: "8080" };
    raw.services.worker.env.API_TOKEN = { value: "abc123" };
    raw.services.worker.env.CACHE = { value: "localhost:6379" };
    raw.services.worker.env.TOKEN = { secret: "WHATSAPP_ACCES_TOKEN" };
    raw.services.worker.requiredEnv.push("NOME_BUCKET_MIDIAS_MIA");
    raw.labels.Project = "x";
    raw.labels.project = "y";
    raw.firestore.indexes[0].collection = "mesages";
    const out = messages(raw);
    expect(out).toEqual(
      expect.arrayContaining([
        'services.worker.env.REDIS_HOST: unknown source "redis.hostname"; did you mean "redis.host"?',
        'services.worker.env.PORT: "PORT" is reserved: Cloud Run sets it on every instance',
        'services.worker.env.TOKEN: unknown secret "WHATSAPP_ACCES_TOKEN"; did you mean "WHATSAPP_ACCESS_TOKEN"?',
        'firestore.indexes.0.collection: unknown collection "mesages"; did you mean "messages"?',
      ]),
    );
    expect(out.some((m) => m.startsWith("services.worker.env.API_TOKEN:") && m.includes("looks like a secret"))).toBe(true);
    expect(out.some((m) => m.startsWith("services.worker.env.CACHE:") && m.includes("localhost"))).toBe(true);
    expect(out.some((m) => m.startsWith("services.worker.requiredEnv.") && m.includes('"NOME_BUCKET_MIDIAS_MIA" is required but not wired'))).toBe(true);
    expect(out.some((m) => m.startsWith("labels.Project:"))).toBe(true);
    expect(out.some((m) => m.startsWith("labels.project:") && m.includes("case-insensitively"))).toBe(true);
  });

  it("GIVEN prod without Redis AUTH/TLS THEN both are errors; in dev they are allowed", () => {
    const prod = parse(readFileSync(`${dir}prod.yaml`, "utf8"));
    prod.redis.authEnabled = false;
    prod.redis.transitEncryption = false;
    expect(messages(prod)).toEqual(expect.arrayContaining(["redis.authEnabled: prod requires Redis AUTH (authEnabled: true)", "redis.transitEncryption: prod requires in-transit encryption (transitEncryption: true)"]));
    const dev = devRaw();
    dev.redis.authEnabled = false;
    expect(validateConfig(dev).config).toBeDefined();
  });

  it("GIVEN a subscription without a dead-letter block THEN it is refused", () => {
    const raw = devRaw();
    delete raw.topics["audit-events"].subscriptions["audit-pull"].deadLetter;
    expect(messages(raw)).toContain("topics.audit-events.subscriptions.audit-pull.deadLetter: required object is missing");
  });

  it("GIVEN CLOUD_RUN_TASK_INDEX in a job THEN it is reserved; X_GOOGLE_ in a service too", () => {
    const raw = devRaw();
    raw.jobs["idempotency-check"].env.CLOUD_RUN_TASK_INDEX = { value: "0" };
    raw.services.webhook.env.X_GOOGLE_FOO = { value: "1" };
    const out = messages(raw);
    expect(out.some((m) => m.startsWith("jobs.idempotency-check.env.CLOUD_RUN_TASK_INDEX:") && m.includes("reserved"))).toBe(true);
    expect(out.some((m) => m.startsWith("services.webhook.env.X_GOOGLE_FOO:") && m.includes("X_GOOGLE_"))).toBe(true);
  });
});

describe("JSON Schema", () => {
  it("GIVEN the schema THEN config/environment.schema.json is up to date (run `opsctl config schema --out config/environment.schema.json`)", () => {
    const committed = JSON.parse(readFileSync(`${dir}environment.schema.json`, "utf8"));
    expect(committed).toEqual(environmentJsonSchema());
  });
});
