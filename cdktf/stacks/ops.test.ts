import { fileURLToPath } from "node:url";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { loadConfigFile, validateConfig } from "../../config/load.js";
import type { EnvironmentConfig } from "../../config/schema.js";
import { dlqSubscriptionNames, monitoringPropsFromConfig } from "../monitoring-props.js";
import { OpsStack } from "./ops.js";

const configDir = fileURLToPath(new URL("../../config/", import.meta.url));
const load = (env: string): EnvironmentConfig => {
  const loaded = loadConfigFile(`${configDir}${env}.yaml`);
  if (!loaded.config) throw new Error(JSON.stringify(loaded.issues));
  return loaded.config;
};

interface Synth {
  terraform: { backend: Record<string, unknown> };
  resource: Record<string, Record<string, { display_name?: string; severity?: string; filter?: string; name?: string }>>;
}
const synth = (config: EnvironmentConfig): Synth => JSON.parse(Testing.synth(new OpsStack(Testing.app(), config))) as Synth;

describe("ops stack from config/*.yaml", () => {
  it("GIVEN dev.yaml (no monitoring section) THEN defaults apply and DLQ subscriptions are <topic>-dlq-sub", () => {
    const dev = load("dev");
    expect(dev.monitoring).toMatchObject({ enabled: true, notificationChannels: {}, thresholds: { http5xxRatio: 0.05, latencyP95Ms: 2000, rotationGraceDays: 3 } });
    expect(dlqSubscriptionNames(dev)).toEqual(["audit-events-dlq-sub", "handoff-human-dlq-sub", "whatsapp-inbound-messages-dlq-sub", "whatsapp-outbound-responses-dlq-sub"]);
    const props = monitoringPropsFromConfig(dev);
    expect(props.services).toEqual([{ name: "webhook", webhook: true }, { name: "worker", webhook: false }]);
    expect(props.secretRotations).toEqual([{ secret: "WHATSAPP_ACCESS_TOKEN", rotationDays: 55 }, { secret: "WHATSAPP_VERIFY_TOKEN", rotationDays: 90 }]);
    expect(props.schedulerJobs).toEqual(["idempotency-check-hourly", "secrets-audit-daily"]);
  });

  it("GIVEN an explicit DLQ topic shared by two subscriptions THEN one DLQ subscription is watched", () => {
    const dev = load("dev");
    const raw = { ...dev, topics: { ...dev.topics, a: { subscriptions: { s1: { deadLetter: { topic: "shared-dlq" } }, s2: { deadLetter: { topic: "shared-dlq" } } } } } };
    const loaded = validateConfig(raw);
    expect(loaded.issues).toEqual([]);
    const names = dlqSubscriptionNames(loaded.config!);
    expect(names.filter((n) => n === "shared-dlq-sub")).toHaveLength(1);
    expect(names).toHaveLength(5);
  });

  it("GIVEN dev THEN every alert is a WARNING; GIVEN prod THEN Redis refused is CRITICAL", () => {
    const dev = Object.values(synth(load("dev")).resource.google_monitoring_alert_policy ?? {});
    expect(dev.length).toBeGreaterThan(10);
    expect(new Set(dev.map((p) => p.severity))).toEqual(new Set(["WARNING"]));
    const prod = Object.values(synth(load("prod")).resource.google_monitoring_alert_policy ?? {});
    expect(prod.find((p) => p.display_name === "Redis connection refused")?.severity).toBe("CRITICAL");
  });

  it("GIVEN the gcs backend THEN the ops state has its own prefix", () => {
    expect(synth(load("dev")).terraform.backend).toEqual({ gcs: { bucket: "wa-bot-dev-tfstate", prefix: "opsctl/dev/ops" } });
  });

  it("GIVEN notification channels in config THEN they are resolved (topic key → full name, webhook secret by reference)", () => {
    const raw = {
      ...load("dev"),
      secrets: { ...load("dev").secrets, ALERT_WEBHOOK_PASSWORD: { provider: "manual" } },
      topics: { ...load("dev").topics, "ops-alerts": {} },
      monitoring: {
        notificationChannels: {
          oncall: { type: "email", address: "oncall@example.com" },
          bus: { type: "pubsub", topic: "ops-alerts" },
          chat: { type: "webhook", url: "https://chat.example.com/hook", authTokenSecret: "ALERT_WEBHOOK_PASSWORD" },
        },
        thresholds: { latencyP95Ms: 1500 },
      },
    };
    const loaded = validateConfig(raw);
    expect(loaded.issues).toEqual([]);
    const props = monitoringPropsFromConfig(loaded.config!);
    expect(props.notificationChannels).toEqual([
      { name: "oncall", type: "email", address: "oncall@example.com" },
      { name: "bus", type: "pubsub", topic: "projects/wa-bot-dev/topics/ops-alerts" },
      { name: "chat", type: "webhook", url: "https://chat.example.com/hook", username: "opsctl", passwordSecret: "ALERT_WEBHOOK_PASSWORD" },
    ]);
    expect(props.thresholds?.latencyP95Ms).toBe(1500);
    expect(props.thresholds?.http5xxRatio).toBe(0.05);
  });

  it("GIVEN monitoring.enabled false THEN the ops stack has no alerting resources", () => {
    const config = validateConfig({ ...load("dev"), monitoring: { enabled: false } }).config!;
    expect(synth(config).resource ?? {}).not.toHaveProperty("google_monitoring_alert_policy");
  });
});

describe("config: monitoring section validation", () => {
  const withChannels = (notificationChannels: unknown) => validateConfig({ ...load("dev"), monitoring: { notificationChannels } }).issues.map((i) => `${i.path}: ${i.message}`);

  it("GIVEN a webhook naming an unknown secret THEN an error with did-you-mean", () => {
    expect(withChannels({ chat: { type: "webhook", url: "https://x.example.com", authTokenSecret: "REDIS_PASSWRD" } })).toEqual(['monitoring.notificationChannels.chat.authTokenSecret: unknown secret "REDIS_PASSWRD"; did you mean "REDIS_PASSWORD"?']);
  });

  it("GIVEN a pubsub channel naming an unknown topic THEN an error", () => {
    expect(withChannels({ bus: { type: "pubsub", topic: "audit-event" } })[0]).toMatch(/^monitoring\.notificationChannels\.bus\.topic: unknown topic "audit-event"; did you mean "audit-events"\?/);
  });

  it("GIVEN a plain-http webhook or a bad email THEN schema errors with their paths", () => {
    const issues = withChannels({ chat: { type: "webhook", url: "http://x.example.com" }, mail: { type: "email", address: "not-an-email" } });
    expect(issues.some((i) => i.startsWith("monitoring.notificationChannels.chat.url"))).toBe(true);
    expect(issues.some((i) => i.startsWith("monitoring.notificationChannels.mail.address"))).toBe(true);
  });
});
