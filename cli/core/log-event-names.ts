/**
 * The names of the structured events opsctl writes (one JSON line each under --log-format json).
 * Dependency-free on purpose: the logger imports it on every start-up, and the log-based metrics in
 * modules/monitoring filter on exactly these strings. The full schema is in log-events.ts.
 */
export const LOG_EVENTS = {
  idempotencyInconsistentDetected: "idempotency.inconsistent.detected",
  idempotencyRecoverySuccess: "idempotency.recovery.success",
  idempotencyRecoveryFailure: "idempotency.recovery.failure",
  secretRotationCompleted: "secret.rotation.completed",
  secretRotationFailed: "secret.rotation.failed",
  secretRotationOverdue: "secret.rotation.overdue",
  deployCompleted: "deploy.completed",
  deployFailed: "deploy.failed",
  deployRollback: "deploy.rollback",
} as const;

export type LogEventName = (typeof LOG_EVENTS)[keyof typeof LOG_EVENTS];

export type LogSeverity = "DEBUG" | "INFO" | "WARNING" | "ERROR";

/** The value of `component` on every opsctl line: the metrics select opsctl's lines with it. */
export const LOG_COMPONENT = "opsctl";

/** Severity an event is written with when the caller does not say. */
export const DEFAULT_EVENT_SEVERITY: Record<LogEventName, LogSeverity> = {
  "idempotency.inconsistent.detected": "WARNING",
  "idempotency.recovery.success": "INFO",
  "idempotency.recovery.failure": "ERROR",
  "secret.rotation.completed": "INFO",
  "secret.rotation.failed": "ERROR",
  "secret.rotation.overdue": "WARNING",
  "deploy.completed": "INFO",
  "deploy.failed": "ERROR",
  "deploy.rollback": "WARNING",
};

export function isLogEventName(name: string): name is LogEventName {
  return Object.hasOwn(DEFAULT_EVENT_SEVERITY, name);
}
