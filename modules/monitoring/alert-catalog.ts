/**
 * The alerts this toolkit defines: a static display name (the runbook names it on its `Alert:` line,
 * so it must not vary per environment; the environment goes in the notification subject) and the
 * runbook it leads to. Severity is the prod severity; other stages are capped at WARNING.
 */
export const ALERTS = {
  idempotencyInconsistencies: { displayName: "Idempotency inconsistencies above threshold", runbook: "idempotency-inconsistency", severity: "ERROR" },
  idempotencyRecoveryFailures: { displayName: "Idempotency repair failed", runbook: "idempotency-inconsistency", severity: "ERROR" },
  redisConnectionRefused: { displayName: "Redis connection refused", runbook: "redis-connection-refused", severity: "CRITICAL" },
  firestoreContention: { displayName: "Firestore contention (ABORTED/409)", runbook: "firestore-contention-409", severity: "WARNING" },
  cloudRun5xxRatio: { displayName: "Cloud Run 5xx ratio above threshold", runbook: "service-unhealthy", severity: "CRITICAL" },
  cloudRunLatencyP95: { displayName: "Cloud Run p95 latency above threshold", runbook: "service-unhealthy", severity: "ERROR" },
  webhookRetryLatency: { displayName: "Webhook slow enough for Meta to redeliver", runbook: "duplicate-replies", severity: "WARNING" },
  dlqBacklog: { displayName: "Dead-letter subscription backlog", runbook: "dlq-growing", severity: "ERROR" },
  dlqOldestUnacked: { displayName: "Dead-lettered message unhandled too long", runbook: "dlq-growing", severity: "WARNING" },
  secretRotationOverdue: { displayName: "Secret rotation overdue", runbook: "secret-rotation", severity: "WARNING" },
  secretRotationFailed: { displayName: "Secret rotation failed", runbook: "secret-rotation", severity: "ERROR" },
  whatsappTokenRejected: { displayName: "WhatsApp access token rejected", runbook: "whatsapp-token-expired", severity: "CRITICAL" },
  schedulerJobFailed: { displayName: "Scheduled job failed", runbook: "scheduler-job-failed", severity: "ERROR" },
  deployFailed: { displayName: "Deploy failed or rolled back", runbook: "deploy-failed", severity: "ERROR" },
} as const satisfies Record<string, { displayName: string; runbook: string; severity: AlertSeverity }>;

export type AlertSeverity = "CRITICAL" | "ERROR" | "WARNING";
export type AlertId = keyof typeof ALERTS;

/**
 * The runbooks the alerts lead to, declared once: a test checks that the synthesized alerts
 * reference exactly these, and that each runbook names its alerts on `Alert:` lines.
 */
export const ALERT_RUNBOOKS = [
  "deploy-failed",
  "dlq-growing",
  "duplicate-replies",
  "firestore-contention-409",
  "idempotency-inconsistency",
  "redis-connection-refused",
  "scheduler-job-failed",
  "secret-rotation",
  "service-unhealthy",
  "whatsapp-token-expired",
] as const;

export type AlertRunbook = (typeof ALERT_RUNBOOKS)[number];
