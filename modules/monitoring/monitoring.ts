/**
 * Alerting that leads to runbooks: log-based metrics for opsctl's events and the application log
 * lines the incidents name, alert policies (each documented by `withRunbook`), notification
 * channels from config and a golden-signals dashboard. Everything refers to services, subscriptions
 * and jobs by name, so this construct depends on no other stack's resources.
 */
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project/index.js";
import { DataGoogleSecretManagerSecretVersion } from "@cdktf/provider-google/lib/data-google-secret-manager-secret-version/index.js";
import { LoggingMetric } from "@cdktf/provider-google/lib/logging-metric/index.js";
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from "@cdktf/provider-google/lib/monitoring-alert-policy/index.js";
import { MonitoringDashboard } from "@cdktf/provider-google/lib/monitoring-dashboard/index.js";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel/index.js";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js";
import { DataResource } from "cdktf";
import { Construct } from "constructs";
import { ALERTS, type AlertId, type AlertSeverity } from "./alert-catalog.js";
import { dashboardDocument } from "./dashboard.js";
import { cloudRunMetricFilter, logMetricFilter, subscriptionMetricFilter } from "./filters.js";
import { DEFAULT_OPSCTL_LOG_RESOURCES, LOG_METRIC_KEYS, type LogMetricKey, logMetricSpecs } from "./log-metrics.js";
import { type AlertThresholds, DEFAULT_THRESHOLDS, type MonitoringProps, type NotificationChannelSpec, validateMonitoringProps } from "./props.js";
import { withRunbook } from "../../config/runbook-link.js";

type Condition = MonitoringAlertPolicyConditions;

interface AlertInput {
  readonly summary: string;
  readonly conditions: Condition[];
  /** log-based metrics the conditions read: the policy must be created after them */
  readonly metrics: LogMetricKey[];
}

export class Monitoring extends Construct {
  /** log-based metrics by key; metric type `logging.googleapis.com/user/<name>` */
  readonly logMetrics: Readonly<Record<LogMetricKey, LoggingMetric>>;
  readonly alertPolicies: Readonly<Partial<Record<AlertId, MonitoringAlertPolicy>>>;
  readonly notificationChannels: readonly MonitoringNotificationChannel[];
  readonly dashboard: MonitoringDashboard;
  readonly thresholds: AlertThresholds;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const problems = validateMonitoringProps(props);
    if (problems.length > 0) throw new Error(`Monitoring ${id}: invalid props:\n  ${problems.join("\n  ")}`);

    const t: AlertThresholds = { ...DEFAULT_THRESHOLDS, ...props.thresholds };
    this.thresholds = t;
    const services = props.services.map((s) => s.name);
    const webhooks = props.services.filter((s) => s.webhook === true).map((s) => s.name);
    const dlqs = [...new Set(props.dlqSubscriptions ?? [])];
    const jobs = props.schedulerJobs ?? [];
    const specs = logMetricSpecs(services, jobs, { ...DEFAULT_OPSCTL_LOG_RESOURCES, ...props.opsctlLogResources });
    const metricName = (key: LogMetricKey): string => `${props.namePrefix}/${specs[key].suffix}`;
    const metricFilter = (key: LogMetricKey): string => logMetricFilter(metricName(key), specs[key].resourceType);
    const metrics = {} as Record<LogMetricKey, LoggingMetric>;
    for (const key of LOG_METRIC_KEYS) {
      const spec = specs[key];
      metrics[key] = new LoggingMetric(this, `metric-${spec.suffix.replaceAll(/[^a-z0-9]+/g, "-")}`, {
        project: props.project,
        name: metricName(key),
        description: spec.description,
        filter: spec.filter,
        metricDescriptor: {
          metricKind: "DELTA",
          valueType: "INT64",
          unit: "1",
          labels: Object.keys(spec.labels).map((label) => ({ key: label, valueType: "STRING" })),
        },
        labelExtractors: { ...spec.labels },
      });
    }
    this.logMetrics = metrics;

    // Cloud Monitoring registers a new log-based metric asynchronously: an alert policy created right
    // after it fails with 404 "Cannot find metric(s) that match type ... could take up to 10 minutes"
    // (terraform-provider-google #11102). This gate waits once, whenever the set of metrics changes
    // (a time_sleep built from terraform_data, so no extra provider); a still-early apply can be re-run.
    const wait = props.metricRegistrationWaitSeconds ?? 120;
    const registered =
      wait > 0
        ? new DataResource(this, "log-metrics-registered", {
            triggersReplace: { metrics: LOG_METRIC_KEYS.map(metricName).join(",") },
            provisioners: [{ type: "local-exec", command: `sleep ${wait}` }],
            dependsOn: Object.values(metrics),
          })
        : undefined;

    this.notificationChannels = (props.notificationChannels ?? []).map((spec) => this.channel(props, spec));
    const channelIds = this.notificationChannels.map((c) => c.id);

    // A count of log lines in a window: DELTA metric summed over the window, across series grouped
    // by `groupBy`. `duration: 0s` fires on the first window over threshold (events are discrete).
    const eventCount = (key: LogMetricKey, name: string, threshold: number, window: string, groupBy: string[] = []): Condition => ({
      displayName: name,
      conditionThreshold: {
        filter: metricFilter(key),
        comparison: "COMPARISON_GT",
        thresholdValue: threshold,
        duration: "0s",
        aggregations: [{ alignmentPeriod: window, perSeriesAligner: "ALIGN_SUM", crossSeriesReducer: "REDUCE_SUM", groupByFields: groupBy }],
        trigger: { count: 1 },
      },
    });
    const svc = "resource.label.service_name";

    const alerts: Partial<Record<AlertId, AlertInput>> = {
      idempotencyInconsistencies: {
        summary: `\`opsctl idempotency check\` found more than ${t.idempotencyInconsistenciesPerHour} Redis/Firestore inconsistencies in an hour (orphan keys block messages until their TTL expires; seed 002).`,
        conditions: [eventCount("idempotencyInconsistent", "inconsistencies per hour", t.idempotencyInconsistenciesPerHour, "3600s")],
        metrics: ["idempotencyInconsistent"],
      },
      idempotencyRecoveryFailures: {
        summary: "`opsctl idempotency check --repair` could not repair an inconsistency: the affected messages stay blocked or may be processed twice.",
        conditions: [eventCount("idempotencyRecoveryFailure", "repair failures", 0, "3600s", ["metric.label.kind"])],
        metrics: ["idempotencyRecoveryFailure"],
      },
      redisConnectionRefused: {
        summary: "A service logged refused Redis connections (ECONNREFUSED / Connection refused): webhook dedupe is down, duplicates and failed requests follow.",
        conditions: [eventCount("redisConnectionRefused", "refused Redis connections per 5 min, per service", t.redisConnectionErrorsPer5m, "300s", ["metric.label.service"])],
        metrics: ["redisConnectionRefused"],
      },
      firestoreContention: {
        summary: `A service logged more than ${t.firestoreContentionPer5m} Firestore ABORTED/409 contention errors in 5 minutes: concurrent writes to the same documents.`,
        conditions: [eventCount("firestoreContention", "Firestore ABORTED/409 per 5 min, per service", t.firestoreContentionPer5m, "300s", ["metric.label.service"])],
        metrics: ["firestoreContention"],
      },
      cloudRun5xxRatio: {
        summary: `More than ${t.http5xxRatio * 100}% of a service's responses were 5xx for 5 minutes.`,
        conditions: [
          {
            displayName: "5xx / all requests, per service",
            conditionThreshold: {
              filter: cloudRunMetricFilter("request_count", services, 'metric.labels.response_code_class="5xx"'),
              denominatorFilter: cloudRunMetricFilter("request_count", services),
              comparison: "COMPARISON_GT",
              thresholdValue: t.http5xxRatio,
              duration: "300s",
              aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM", groupByFields: [svc] }],
              denominatorAggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM", groupByFields: [svc] }],
              trigger: { count: 1 },
            },
          },
        ],
        metrics: [],
      },
      cloudRunLatencyP95: {
        summary: `A service's p95 request latency stayed above ${t.latencyP95Ms} ms for 5 minutes.`,
        conditions: [
          {
            displayName: "p95 request latency, per service",
            conditionThreshold: {
              filter: cloudRunMetricFilter("request_latencies", services),
              comparison: "COMPARISON_GT",
              thresholdValue: t.latencyP95Ms,
              duration: "300s",
              aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_95", groupByFields: [svc] }],
              trigger: { count: 1 },
            },
          },
        ],
        metrics: [],
      },
      whatsappTokenRejected: {
        summary: "The Graph API rejected the WhatsApp access token (error 190): outbound replies fail until the token is refreshed.",
        conditions: [eventCount("whatsappTokenRejected", "token rejections per 5 min", 0, "300s")],
        metrics: ["whatsappTokenRejected"],
      },
      secretRotationOverdue: {
        summary: `\`opsctl secrets list\` (scheduled) found a secret with no new version within its rotation period + ${t.rotationGraceDays} days of grace${(props.secretRotations ?? []).length > 0 ? ` (rotated secrets: ${(props.secretRotations ?? []).map((s) => `${s.secret} every ${s.rotationDays} d`).join(", ")})` : ""}.`,
        // Not a metric-absence condition: an absence condition's duration is at most a day, far
        // shorter than rotation periods (55-90 days), and "no rotation event" cannot be told apart
        // from "nothing was due". opsctl computes overdue from the versions' create times instead.
        conditions: [eventCount("secretRotationOverdue", "overdue secrets", 0, "3600s", ["metric.label.secret"])],
        metrics: ["secretRotationOverdue"],
      },
      secretRotationFailed: {
        summary: "`opsctl secrets rotate` failed at one of its steps (create, set, test, finish); consumers still use the previous version.",
        conditions: [eventCount("secretRotationFailed", "rotation failures", 0, "3600s", ["metric.label.secret"])],
        metrics: ["secretRotationFailed"],
      },
      deployFailed: {
        summary: "`opsctl deploy` failed its health gate or traffic was rolled back to an earlier revision.",
        conditions: [eventCount("deployFailed", "failed deploys", 0, "300s", ["metric.label.service"]), eventCount("deployRollback", "rollbacks", 0, "300s", ["metric.label.service"])],
        metrics: ["deployFailed", "deployRollback"],
      },
    };
    if (webhooks.length > 0) {
      alerts.webhookRetryLatency = {
        summary: `A webhook service's p99 latency exceeded ${t.webhookRetryLatencyMs} ms: Meta times out and redelivers, and a redelivery after the dedupe key is gone is answered twice (seeds 000, 003).`,
        conditions: [
          {
            displayName: "p99 webhook latency, per service",
            conditionThreshold: {
              filter: cloudRunMetricFilter("request_latencies", webhooks),
              comparison: "COMPARISON_GT",
              thresholdValue: t.webhookRetryLatencyMs,
              duration: "120s",
              aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_99", groupByFields: [svc] }],
              trigger: { count: 1 },
            },
          },
        ],
        metrics: [],
      };
    }
    if (dlqs.length > 0) {
      const sub = "resource.label.subscription_id";
      alerts.dlqBacklog = {
        summary: `A dead-letter subscription holds more than ${t.dlqBacklogMessages} messages: deliveries failed their maximum attempts and wait for \`opsctl pubsub dlq inspect\`.`,
        conditions: [
          {
            displayName: "undelivered dead-lettered messages, per subscription",
            conditionThreshold: {
              filter: subscriptionMetricFilter("num_undelivered_messages", dlqs),
              comparison: "COMPARISON_GT",
              thresholdValue: t.dlqBacklogMessages,
              duration: "0s",
              aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM", groupByFields: [sub] }],
              trigger: { count: 1 },
            },
          },
        ],
        metrics: [],
      };
      alerts.dlqOldestUnacked = {
        summary: `A dead-lettered message has waited more than ${t.dlqOldestUnackedSeconds} s: nobody replayed or discarded it, and it expires with the subscription's retention.`,
        conditions: [
          {
            displayName: "oldest unacked dead-lettered message age, per subscription",
            conditionThreshold: {
              filter: subscriptionMetricFilter("oldest_unacked_message_age", dlqs),
              comparison: "COMPARISON_GT",
              thresholdValue: t.dlqOldestUnackedSeconds,
              duration: "0s",
              aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_MAX", groupByFields: [sub] }],
              trigger: { count: 1 },
            },
          },
        ],
        metrics: [],
      };
    }
    if (jobs.length > 0) {
      alerts.schedulerJobFailed = {
        summary: `A Cloud Scheduler job (${jobs.join(", ")}) failed an attempt: the scheduled audit or rotation check did not run.`,
        conditions: [eventCount("schedulerJobFailed", "failed scheduler attempts", 0, "3600s", ["metric.label.job"])],
        metrics: ["schedulerJobFailed"],
      };
    }

    const policies: Partial<Record<AlertId, MonitoringAlertPolicy>> = {};
    for (const [alertId, input] of Object.entries(alerts) as [AlertId, AlertInput][]) {
      const alert = ALERTS[alertId];
      policies[alertId] = new MonitoringAlertPolicy(this, `alert-${alertId}`, {
        project: props.project,
        displayName: alert.displayName,
        combiner: "OR",
        severity: stageSeverity(props.stage, alert.severity),
        userLabels: { ...props.labels, runbook: alert.runbook },
        notificationChannels: channelIds,
        conditions: input.conditions,
        documentation: withRunbook({ runbook: alert.runbook, baseUrl: props.runbookBaseUrl, summary: input.summary, environment: props.environment, displayName: alert.displayName }),
        // Log-based metrics must exist (and be registered) before a condition can name them.
        dependsOn: [...input.metrics.map((k) => metrics[k]), ...(registered && input.metrics.length > 0 ? [registered] : [])],
      });
    }
    this.alertPolicies = policies;

    this.dashboard = new MonitoringDashboard(this, "dashboard", {
      project: props.project,
      dashboardJson: JSON.stringify(dashboardDocument({ environment: props.environment, services, dlqSubscriptions: dlqs, thresholds: t, runbookBaseUrl: props.runbookBaseUrl, metricFilter })),
      dependsOn: Object.values(metrics),
    });
  }

  private channel(props: MonitoringProps, spec: NotificationChannelSpec): MonitoringNotificationChannel {
    const common = { project: props.project, displayName: `${props.environment} · ${spec.name}`, userLabels: { ...props.labels } };
    switch (spec.type) {
      case "email":
        return new MonitoringNotificationChannel(this, `channel-${spec.name}`, { ...common, type: "email", labels: { email_address: spec.address } });
      case "pubsub": {
        const channel = new MonitoringNotificationChannel(this, `channel-${spec.name}`, { ...common, type: "pubsub", labels: { topic: spec.topic } });
        // Cloud Monitoring publishes as its notification service agent, which needs publisher on the topic.
        const project = this.projectData(props.project);
        new PubsubTopicIamMember(this, `channel-${spec.name}-publisher`, {
          project: props.project,
          topic: spec.topic,
          role: "roles/pubsub.publisher",
          member: `serviceAccount:service-${project.number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com`,
        });
        return channel;
      }
      case "webhook": {
        if (spec.passwordSecret === undefined) return new MonitoringNotificationChannel(this, `channel-${spec.name}`, { ...common, type: "webhook_tokenauth", labels: { url: spec.url } });
        // The password is referenced, never written in config or code. Terraform reads it at plan
        // time (a sensitive value, kept in the state bucket like every sensitive attribute).
        const secret = new DataGoogleSecretManagerSecretVersion(this, `channel-${spec.name}-password`, { project: props.project, secret: spec.passwordSecret, version: "latest" });
        return new MonitoringNotificationChannel(this, `channel-${spec.name}`, {
          ...common,
          type: "webhook_basicauth",
          labels: { url: spec.url, username: spec.username ?? "opsctl" },
          sensitiveLabels: { password: secret.secretData },
        });
      }
    }
  }

  private projectData(project: string): DataGoogleProject {
    const existing = this.node.tryFindChild("project");
    return existing instanceof DataGoogleProject ? existing : new DataGoogleProject(this, "project", { projectId: project });
  }
}

/** Outside prod nobody is paged: every alert is at most a WARNING. */
function stageSeverity(stage: MonitoringProps["stage"], severity: AlertSeverity): AlertSeverity {
  return stage === "prod" ? severity : "WARNING";
}
