/**
 * The log-based metrics: opsctl's own events (cli/core/log-events.ts) and the application log lines
 * the seeds name (Redis connection refused, Firestore 409 contention, Meta token errors), plus
 * Cloud Scheduler attempt failures. Pure data: the construct turns each into a google_logging_metric.
 */
import { LOG_EVENTS, type LogEventName } from "../../cli/core/log-event-names.js";
import { opsctlEventLogFilter, schedulerFailureLogFilter, serviceLogsContainingFilter } from "./filters.js";

export interface LogMetricSpec {
  /** metric name under the name prefix: `<prefix>/<suffix>` */
  readonly suffix: string;
  readonly description: string;
  readonly filter: string;
  /** metric label → extractor expression */
  readonly labels: Readonly<Record<string, string>>;
  /** monitored resource type of the matching entries: alert conditions must restrict resource.type */
  readonly resourceType: string;
}

/** Log phrases the seeds recorded (000): python-redis "Error 111 ... Connection refused", ioredis "ECONNREFUSED". */
export const REDIS_REFUSED_PHRASES = ["ECONNREFUSED", "Connection refused"] as const;
/** "409 Aborted due to cross-transaction contention" (Datastore mode, python), "10 ABORTED: Too much contention" (gRPC). */
export const FIRESTORE_CONTENTION_PHRASES = ["409 Aborted", "10 ABORTED", "cross-transaction contention", "Too much contention"] as const;
/** Graph API error 190 (OAuthException): the long-lived token expired or was revoked (seed 004). */
export const WHATSAPP_TOKEN_PHRASES = ["Error validating access token", "Session has expired"] as const;

const opsctlEvent = (event: LogEventName, description: string, labels: Record<string, string>, resourceType: string): LogMetricSpec => ({
  suffix: `opsctl/${event}`,
  description: `${description} (opsctl event ${event})`,
  filter: opsctlEventLogFilter(event),
  labels: { env: "EXTRACT(jsonPayload.env)", ...labels },
  resourceType,
});

/**
 * Where opsctl's lines reach Cloud Logging, as the monitored resource type of their entries. An
 * alert condition must restrict resource.type, and a log-based metric's series carry the resource of
 * the entries they count: the scheduled checks run as Cloud Run Jobs; deploys run in CI.
 */
export interface OpsctlLogResources {
  /** idempotency check, secrets list/rotate. @default "cloud_run_job" */
  readonly jobs: string;
  /** deploy / rollback. @default "build" (Cloud Build) */
  readonly deploys: string;
}

export const DEFAULT_OPSCTL_LOG_RESOURCES: OpsctlLogResources = { jobs: "cloud_run_job", deploys: "build" };

export const LOG_METRIC_KEYS = [
  "idempotencyInconsistent",
  "idempotencyRecoverySuccess",
  "idempotencyRecoveryFailure",
  "secretRotationCompleted",
  "secretRotationFailed",
  "secretRotationOverdue",
  "deployCompleted",
  "deployFailed",
  "deployRollback",
  "redisConnectionRefused",
  "firestoreContention",
  "whatsappTokenRejected",
  "schedulerJobFailed",
] as const;
export type LogMetricKey = (typeof LOG_METRIC_KEYS)[number];

export function logMetricSpecs(services: readonly string[], schedulerJobs: readonly string[], resources: OpsctlLogResources = DEFAULT_OPSCTL_LOG_RESOURCES): Record<LogMetricKey, LogMetricSpec> {
  const kind = { kind: "EXTRACT(jsonPayload.kind)" };
  const secret = { secret: "EXTRACT(jsonPayload.secret)" };
  const service = { service: "EXTRACT(jsonPayload.service)" };
  const appService = { service: "EXTRACT(resource.labels.service_name)" };
  return {
    idempotencyInconsistent: opsctlEvent(LOG_EVENTS.idempotencyInconsistentDetected, "Redis/Firestore idempotency inconsistencies found by `opsctl idempotency check`", kind, resources.jobs),
    idempotencyRecoverySuccess: opsctlEvent(LOG_EVENTS.idempotencyRecoverySuccess, "idempotency inconsistencies repaired", kind, resources.jobs),
    idempotencyRecoveryFailure: opsctlEvent(LOG_EVENTS.idempotencyRecoveryFailure, "idempotency repairs that failed", kind, resources.jobs),
    secretRotationCompleted: opsctlEvent(LOG_EVENTS.secretRotationCompleted, "secret rotations completed", secret, resources.jobs),
    secretRotationFailed: opsctlEvent(LOG_EVENTS.secretRotationFailed, "secret rotations that failed", secret, resources.jobs),
    secretRotationOverdue: opsctlEvent(LOG_EVENTS.secretRotationOverdue, "secrets past their rotation period + grace, reported by `opsctl secrets list`", secret, resources.jobs),
    deployCompleted: opsctlEvent(LOG_EVENTS.deployCompleted, "deploys that reached 100% traffic", service, resources.deploys),
    deployFailed: opsctlEvent(LOG_EVENTS.deployFailed, "deploys that failed their health gate", service, resources.deploys),
    deployRollback: opsctlEvent(LOG_EVENTS.deployRollback, "traffic rolled back to an earlier revision", service, resources.deploys),
    redisConnectionRefused: {
      suffix: "app/redis-connection-refused",
      description: "application log lines with a refused Redis connection (seed 000: REDIS_HOST defaulted to localhost)",
      filter: serviceLogsContainingFilter(services, REDIS_REFUSED_PHRASES),
      labels: appService,
      resourceType: "cloud_run_revision",
    },
    firestoreContention: {
      suffix: "app/firestore-contention",
      description: "application log lines with Firestore ABORTED/409 transaction contention (seed 000)",
      filter: serviceLogsContainingFilter(services, FIRESTORE_CONTENTION_PHRASES),
      labels: appService,
      resourceType: "cloud_run_revision",
    },
    whatsappTokenRejected: {
      suffix: "app/whatsapp-token-rejected",
      description: "Graph API rejected the WhatsApp access token (error 190, seed 004)",
      filter: serviceLogsContainingFilter(services, WHATSAPP_TOKEN_PHRASES),
      labels: appService,
      resourceType: "cloud_run_revision",
    },
    schedulerJobFailed: {
      suffix: "scheduler/job-failed",
      description: "Cloud Scheduler attempts that failed (the target job or endpoint returned an error)",
      filter: schedulerFailureLogFilter(schedulerJobs),
      labels: { job: "EXTRACT(resource.labels.job_id)" },
      resourceType: "cloud_scheduler_job",
    },
  };
}
