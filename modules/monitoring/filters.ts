/**
 * Filter strings, built in one place so the alert policies, the dashboard and the tests agree on
 * them character for character. Two languages: the Logging query language (log-based metrics) and
 * the Monitoring filter language (alert conditions, dashboard charts).
 */
import { LOG_COMPONENT, type LogEventName } from "../../cli/core/log-event-names.js";

const quote = (value: string): string => JSON.stringify(value);

/** Logging filter selecting one opsctl event (schema: cli/core/log-events.ts). */
export function opsctlEventLogFilter(event: LogEventName): string {
  return `jsonPayload.component=${quote(LOG_COMPONENT)} AND jsonPayload.event=${quote(event)}`;
}

/**
 * Logging filter for application lines of the given Cloud Run services that contain any phrase.
 * Apps log either plain text (textPayload) or JSON with a `message` field (jsonPayload.message);
 * `:` is the substring operator.
 */
export function serviceLogsContainingFilter(services: readonly string[], phrases: readonly string[]): string {
  const scope = services.length === 0 ? "" : ` AND (${services.map((s) => `resource.labels.service_name=${quote(s)}`).join(" OR ")})`;
  const match = phrases.flatMap((p) => [`textPayload:${quote(p)}`, `jsonPayload.message:${quote(p)}`]).join(" OR ");
  return `resource.type="cloud_run_revision"${scope} AND (${match})`;
}

/** Logging filter for failed attempts of the given Cloud Scheduler jobs. */
export function schedulerFailureLogFilter(jobs: readonly string[]): string {
  const scope = jobs.length === 0 ? "" : ` AND (${jobs.map((j) => `resource.labels.job_id=${quote(j)}`).join(" OR ")})`;
  return `resource.type="cloud_scheduler_job"${scope} AND severity>=ERROR`;
}

/**
 * Monitoring filter of a log-based metric. The API refuses an alert condition whose filter does not
 * restrict resource.type ("must specify a restriction on resource.type"), hence the required type.
 */
export function logMetricFilter(metricName: string, resourceType: string): string {
  return `metric.type=${quote(`logging.googleapis.com/user/${metricName}`)} AND resource.type=${quote(resourceType)}`;
}

const oneOf = (values: readonly string[]): string => (values.length === 1 ? quote(values[0] ?? "") : `one_of(${values.map(quote).join(", ")})`);

/** Monitoring filter of a Cloud Run service metric, restricted to the given services. */
export function cloudRunMetricFilter(metric: string, services: readonly string[], extra?: string): string {
  return `metric.type=${quote(`run.googleapis.com/${metric}`)} AND resource.type="cloud_run_revision" AND resource.labels.service_name=${oneOf(services)}${extra ? ` AND ${extra}` : ""}`;
}

/** Monitoring filter of a Pub/Sub subscription metric, restricted to the given subscriptions. */
export function subscriptionMetricFilter(metric: string, subscriptions: readonly string[]): string {
  return `metric.type=${quote(`pubsub.googleapis.com/subscription/${metric}`)} AND resource.type="pubsub_subscription" AND resource.labels.subscription_id=${oneOf(subscriptions)}`;
}
