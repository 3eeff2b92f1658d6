/**
 * The structured log schema opsctl writes: one JSON line per finding, repair, rotation, deploy or
 * rollback (under --log-format json, the default inside a Cloud Run Job). Cloud Logging reads
 * `severity` and `message`; the log-based metrics of modules/monitoring select lines with
 * `jsonPayload.component="opsctl" AND jsonPayload.event="<name>"`, so the names here are a contract:
 * renaming one silently empties a metric and its alert. docs/log-events.schema.json is generated
 * from this file (a unit test checks it is up to date).
 */
import { z } from "zod";
import { LOG_COMPONENT, LOG_EVENTS } from "./log-event-names.js";

export { DEFAULT_EVENT_SEVERITY, isLogEventName, LOG_COMPONENT, LOG_EVENTS, type LogEventName, type LogSeverity } from "./log-event-names.js";

const severity = z.enum(["DEBUG", "INFO", "WARNING", "ERROR"]).describe("Cloud Logging severity");

/** Fields every opsctl line carries, event or not. */
export const logLineSchema = z.looseObject({
  severity,
  message: z.string(),
  component: z.literal(LOG_COMPONENT),
  command: z.string().describe('the opsctl command, e.g. "idempotency check"'),
  event: z.string().regex(/^[a-z]+(\.[a-z_-]+)+$/).optional(),
  env: z.string().optional().describe("environment name (--env or the loaded document); absent before one is selected"),
  time: z.iso.datetime(),
});

const eventBase = {
  severity,
  message: z.string(),
  component: z.literal(LOG_COMPONENT),
  command: z.string(),
  env: z.string().min(1).describe('environment name, "unknown" when none was selected'),
  time: z.iso.datetime(),
};

const finding = {
  /** orphan-key, stuck-in-progress, ttl-missing, ttl-out-of-policy, document-without-key, ... */
  kind: z.string().min(1).describe("inconsistency kind, e.g. orphan-key, stuck-in-progress, ttl-missing, document-without-key"),
  key: z.string().min(1).describe("the Redis key (never a value)"),
};

export const logEventSchemas = {
  [LOG_EVENTS.idempotencyInconsistentDetected]: z.looseObject({
    ...eventBase,
    event: z.literal(LOG_EVENTS.idempotencyInconsistentDetected),
    ...finding,
    document: z.string().optional().describe("Firestore document path, when one is involved"),
  }),
  [LOG_EVENTS.idempotencyRecoverySuccess]: z.looseObject({
    ...eventBase,
    event: z.literal(LOG_EVENTS.idempotencyRecoverySuccess),
    ...finding,
    action: z.string().min(1).describe("repair applied, e.g. delete-key, set-ttl, reseed-key"),
  }),
  [LOG_EVENTS.idempotencyRecoveryFailure]: z.looseObject({
    ...eventBase,
    event: z.literal(LOG_EVENTS.idempotencyRecoveryFailure),
    ...finding,
    action: z.string().min(1),
    error: z.string().describe("why the repair failed"),
  }),
  [LOG_EVENTS.secretRotationCompleted]: z.looseObject({
    ...eventBase,
    event: z.literal(LOG_EVENTS.secretRotationCompleted),
    secret: z.string().min(1),
    version: z.string().min(1).describe("the new version number (never the value)"),
    previousVersion: z.string().optional(),
  }),
  [LOG_EVENTS.secretRotationFailed]: z.looseObject({
    ...eventBase,
    event: z.literal(LOG_EVENTS.secretRotationFailed),
    secret: z.string().min(1),
    step: z.enum(["create", "set", "test", "finish"]).describe("rotation step that failed"),
    error: z.string(),
  }),
  [LOG_EVENTS.secretRotationOverdue]: z.looseObject({
    ...eventBase,
    event: z.literal(LOG_EVENTS.secretRotationOverdue),
    secret: z.string().min(1),
    rotationDays: z.number().int().positive(),
    graceDays: z.number().min(0),
    ageDays: z.number().min(0).describe("age of the newest enabled version, days"),
    latestVersion: z.string().optional(),
  }),
  [LOG_EVENTS.deployCompleted]: z.looseObject({
    ...eventBase,
    event: z.literal(LOG_EVENTS.deployCompleted),
    service: z.string().min(1),
    revision: z.string().min(1),
    image: z.string().optional(),
  }),
  [LOG_EVENTS.deployFailed]: z.looseObject({
    ...eventBase,
    event: z.literal(LOG_EVENTS.deployFailed),
    service: z.string().min(1),
    revision: z.string().optional(),
    reason: z.string(),
  }),
  [LOG_EVENTS.deployRollback]: z.looseObject({
    ...eventBase,
    event: z.literal(LOG_EVENTS.deployRollback),
    service: z.string().min(1),
    fromRevision: z.string().optional(),
    toRevision: z.string().min(1),
    reason: z.string(),
  }),
} as const;

/** One event line: the union of the per-event schemas, discriminated by `event`. */
export const logEventSchema = z.discriminatedUnion("event", [
  logEventSchemas[LOG_EVENTS.idempotencyInconsistentDetected],
  logEventSchemas[LOG_EVENTS.idempotencyRecoverySuccess],
  logEventSchemas[LOG_EVENTS.idempotencyRecoveryFailure],
  logEventSchemas[LOG_EVENTS.secretRotationCompleted],
  logEventSchemas[LOG_EVENTS.secretRotationFailed],
  logEventSchemas[LOG_EVENTS.secretRotationOverdue],
  logEventSchemas[LOG_EVENTS.deployCompleted],
  logEventSchemas[LOG_EVENTS.deployFailed],
  logEventSchemas[LOG_EVENTS.deployRollback],
]);

export type LogEventLine = z.output<typeof logEventSchema>;

type EventFieldsOf<E extends keyof typeof logEventSchemas> = Omit<z.input<(typeof logEventSchemas)[E]>, keyof typeof eventBase | "event">;
/** The per-event fields a caller passes to `log.event(name, fields)`. */
export type LogEventFields = { [E in keyof typeof logEventSchemas]: EventFieldsOf<E> };

/** JSON Schema of an event line, for log pipelines and the checked-in docs/log-events.schema.json. */
export function logEventsJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(logEventSchema, { io: "input", unrepresentable: "any" }),
    title: "opsctl structured log event",
    $id: "https://opsctl.dev/schemas/log-events.schema.json",
  };
}
