import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { LOG_EVENTS, logEventSchema, logEventsJsonSchema, logLineSchema } from "./log-events.js";
import { createLogger, type LoggerOptions } from "./output.js";

function capture(options: Partial<LoggerOptions> = {}) {
  const stderr = new PassThrough();
  const stdout = new PassThrough();
  let text = "";
  stderr.on("data", (c: Buffer) => (text += c.toString()));
  const log = createLogger({ stdout, stderr }, { verbose: false, quiet: false, format: "json", command: "idempotency check", color: false, env: () => "dev", ...options });
  const lines = () => text.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines };
}

describe("opsctl log events (schema of --log-format json)", () => {
  it("GIVEN log.event for a finding THEN the line validates against the schema, with the event's default severity", () => {
    const { log, lines } = capture();
    log.event(LOG_EVENTS.idempotencyInconsistentDetected, { kind: "orphan-key", key: "idempotency:wamid.HBgN", document: "messages/abc" });
    const [line] = lines();
    const parsed = logEventSchema.parse(line);
    expect(parsed).toMatchObject({ severity: "WARNING", component: "opsctl", command: "idempotency check", event: "idempotency.inconsistent.detected", env: "dev", kind: "orphan-key", key: "idempotency:wamid.HBgN" });
    expect(parsed.message).toBe("idempotency.inconsistent.detected");
  });

  it("GIVEN every event of the catalogue THEN its logger line validates (severity ERROR for failures)", () => {
    const { log, lines } = capture({ command: "secrets rotate" });
    log.event(LOG_EVENTS.idempotencyRecoverySuccess, { kind: "orphan-key", key: "k", action: "delete-key" });
    log.event(LOG_EVENTS.idempotencyRecoveryFailure, { kind: "orphan-key", key: "k", action: "delete-key", error: "READONLY" });
    log.event(LOG_EVENTS.secretRotationCompleted, { secret: "WHATSAPP_ACCESS_TOKEN", version: "7", previousVersion: "6" });
    log.event(LOG_EVENTS.secretRotationFailed, { secret: "WHATSAPP_ACCESS_TOKEN", step: "test", error: "HTTP 401" });
    log.event(LOG_EVENTS.secretRotationOverdue, { secret: "WHATSAPP_ACCESS_TOKEN", rotationDays: 55, graceDays: 3, ageDays: 61.5 });
    log.event(LOG_EVENTS.deployCompleted, { service: "wa-dev-webhook", revision: "wa-dev-webhook-00042-abc" });
    log.event(LOG_EVENTS.deployFailed, { service: "wa-dev-webhook", reason: "health gate: 3/3 probes failed" });
    log.event(LOG_EVENTS.deployRollback, { service: "wa-dev-webhook", toRevision: "wa-dev-webhook-00041-xyz", reason: "p95 2400 ms > 2000 ms" });
    const parsed = lines().map((l) => logEventSchema.parse(l));
    expect(parsed.map((p) => p.event)).toEqual(Object.values(LOG_EVENTS).filter((e) => e !== "idempotency.inconsistent.detected"));
    expect(parsed.filter((p) => p.severity === "ERROR").map((p) => p.event)).toEqual(["idempotency.recovery.failure", "secret.rotation.failed", "deploy.failed"]);
  });

  it("GIVEN caller fields named like the envelope THEN they cannot overwrite component, event or severity", () => {
    const { log, lines } = capture();
    log.event(LOG_EVENTS.deployFailed, { service: "s", reason: "r", component: "app", severity: "INFO", event: "other" } as never);
    expect(logEventSchema.parse(lines()[0])).toMatchObject({ component: "opsctl", severity: "ERROR", event: "deploy.failed" });
  });

  it("GIVEN no environment selected THEN event lines carry env \"unknown\" and plain lines omit it", () => {
    const { log, lines } = capture({ env: () => undefined });
    log.info("starting");
    log.event(LOG_EVENTS.secretRotationOverdue, { secret: "S", rotationDays: 90, graceDays: 3, ageDays: 100 });
    const [plain, event] = lines();
    expect(logLineSchema.parse(plain)).not.toHaveProperty("env");
    expect(event?.env).toBe("unknown");
  });

  it("GIVEN a line missing a required per-event field THEN the schema rejects it", () => {
    const { log, lines } = capture();
    log.event("secret.rotation.overdue", { secret: "S" } as never);
    expect(logEventSchema.safeParse(lines()[0]).success).toBe(false);
  });

  it("GIVEN the schema THEN docs/log-events.schema.json is up to date (regenerate: see README, Alerting)", () => {
    const committed = JSON.parse(readFileSync(new URL("../../docs/log-events.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(logEventsJsonSchema())));
  });
});
