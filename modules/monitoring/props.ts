/**
 * Props of the Monitoring construct. Names are physical (already prefixed by the naming helper):
 * the construct only refers to services, subscriptions and jobs by name, never by Terraform
 * reference, so it can live in its own stack applied after the services stack.
 */
import { Token } from "cdktf";
import type { OpsctlLogResources } from "./log-metrics.js";

export interface MonitoredService {
  /** physical Cloud Run service name, e.g. wa-dev-webhook */
  readonly name: string;
  /** receives webhooks from Meta (public ingress): also watched for redelivery-inducing latency */
  readonly webhook?: boolean;
}

export interface SecretRotation {
  /** Secret Manager secret id */
  readonly secret: string;
  /** rotation period, days */
  readonly rotationDays: number;
}

export type NotificationChannelSpec =
  | { readonly name: string; readonly type: "email"; readonly address: string }
  /** full topic name projects/P/topics/T; the Monitoring notification agent is granted publisher on it */
  | { readonly name: string; readonly type: "pubsub"; readonly topic: string }
  | {
      readonly name: string;
      readonly type: "webhook";
      /** https URL; without `passwordSecret` the token rides in the URL (webhook_tokenauth) */
      readonly url: string;
      /** Secret Manager secret id holding the basic-auth password (webhook_basicauth); read at plan time */
      readonly passwordSecret?: string;
      /** @default "opsctl" */
      readonly username?: string;
    };

export interface AlertThresholds {
  /** inconsistencies per hour above which the alert fires. @default 10 */
  readonly idempotencyInconsistenciesPerHour: number;
  /** refused Redis connections per 5 min tolerated per service. @default 0 */
  readonly redisConnectionErrorsPer5m: number;
  /** Firestore ABORTED/409 lines per 5 min tolerated per service. @default 20 */
  readonly firestoreContentionPer5m: number;
  /** 5xx fraction (0..1), sustained 5 min. @default 0.05 */
  readonly http5xxRatio: number;
  /** p95 latency, ms, sustained 5 min. @default 2000 */
  readonly latencyP95Ms: number;
  /** p99 latency of webhook services, ms, above which Meta redelivers. @default 10000 */
  readonly webhookRetryLatencyMs: number;
  /** undelivered dead-lettered messages tolerated. @default 0 */
  readonly dlqBacklogMessages: number;
  /** oldest unacked dead-lettered message age, seconds. @default 3600 */
  readonly dlqOldestUnackedSeconds: number;
  /** days past rotationDays before `opsctl secrets list` reports a secret overdue. @default 3 */
  readonly rotationGraceDays: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  idempotencyInconsistenciesPerHour: 10,
  redisConnectionErrorsPer5m: 0,
  firestoreContentionPer5m: 20,
  http5xxRatio: 0.05,
  latencyP95Ms: 2_000,
  webhookRetryLatencyMs: 10_000,
  dlqBacklogMessages: 0,
  dlqOldestUnackedSeconds: 3_600,
  rotationGraceDays: 3,
};

export interface MonitoringProps {
  /** Google Cloud project id */
  readonly project: string;
  /** prefix of every physical name; log-based metrics are named `<namePrefix>/...` */
  readonly namePrefix: string;
  /** environment name, e.g. dev; shown in notification subjects and the dashboard title */
  readonly environment: string;
  /** prod keeps each alert's severity; other stages are capped at WARNING */
  readonly stage: "dev" | "staging" | "prod";
  /** labels from the labelling helper, put on every alert policy (user_labels) */
  readonly labels?: Readonly<Record<string, string>>;
  readonly services: readonly MonitoredService[];
  /** dead-letter subscription ids (`<dlq-topic>-sub`) */
  readonly dlqSubscriptions?: readonly string[];
  readonly secretRotations?: readonly SecretRotation[];
  /** Cloud Scheduler job ids whose failed attempts alert */
  readonly schedulerJobs?: readonly string[];
  readonly notificationChannels?: readonly NotificationChannelSpec[];
  /** alert documentation links to `<runbookBaseUrl>/runbooks/<name>.md` */
  readonly runbookBaseUrl: string;
  readonly thresholds?: Partial<AlertThresholds>;
  /**
   * seconds to wait after log-based metrics are created or renamed before creating the alert
   * policies that read them (Cloud Monitoring registers them asynchronously); 0 disables. @default 120
   */
  readonly metricRegistrationWaitSeconds?: number;
  /** monitored resource types of opsctl's log entries. @default { jobs: "cloud_run_job", deploys: "build" } */
  readonly opsctlLogResources?: Partial<OpsctlLogResources>;
}

type PropRule = (p: MonitoringProps) => string | undefined;

const known = (v: string): boolean => !Token.isUnresolved(v);

const RULES: PropRule[] = [
  (p) => (known(p.project) && !/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(p.project) ? `project "${p.project}" is not a project id` : undefined),
  (p) => (known(p.namePrefix) && !/^[a-z][a-z0-9-]{0,11}$/.test(p.namePrefix) ? `namePrefix "${p.namePrefix}" must be 1-12 chars of a-z 0-9 -` : undefined),
  (p) => (p.metricRegistrationWaitSeconds !== undefined && (!Number.isInteger(p.metricRegistrationWaitSeconds) || p.metricRegistrationWaitSeconds < 0 || p.metricRegistrationWaitSeconds > 900) ? "metricRegistrationWaitSeconds must be an integer from 0 to 900" : undefined),
  (p) => (p.services.length === 0 ? "services is empty: there is nothing to watch" : undefined),
  (p) => {
    const names = p.services.map((s) => s.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    return dup ? `service "${dup}" is listed twice` : undefined;
  },
  (p) => (known(p.runbookBaseUrl) && !/^https?:\/\//.test(p.runbookBaseUrl) ? `runbookBaseUrl "${p.runbookBaseUrl}" is not an http(s) URL` : undefined),
  (p) => {
    const t = { ...DEFAULT_THRESHOLDS, ...p.thresholds };
    return t.http5xxRatio < 0 || t.http5xxRatio > 1 ? `thresholds.http5xxRatio ${t.http5xxRatio} is not a fraction between 0 and 1` : undefined;
  },
  (p) => (p.secretRotations ?? []).map((s) => (s.rotationDays < 1 ? `secret ${s.secret}: rotationDays must be at least 1` : undefined)).find((m) => m !== undefined),
  (p) => {
    const names = (p.notificationChannels ?? []).map((c) => c.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    return dup ? `notification channel "${dup}" is defined twice` : undefined;
  },
  (p) =>
    (p.notificationChannels ?? [])
      .map((c) => (c.type === "pubsub" && known(c.topic) && !/^projects\/[^/]+\/topics\/[^/]+$/.test(c.topic) ? `notification channel ${c.name}: topic must be projects/P/topics/T` : undefined))
      .find((m) => m !== undefined),
  (p) =>
    (p.notificationChannels ?? [])
      .map((c) => (c.type === "webhook" && known(c.url) && !c.url.startsWith("https://") ? `notification channel ${c.name}: webhook URL must be https` : undefined))
      .find((m) => m !== undefined),
];

/** Every problem with the props at once (unresolved tokens are skipped). */
export function validateMonitoringProps(props: MonitoringProps): string[] {
  return RULES.map((rule) => rule(props)).filter((m): m is string => m !== undefined);
}
