/**
 * The per-environment dashboard, as the Cloud Monitoring dashboard JSON (mosaic layout, 48 columns):
 * the four golden signals of each service (traffic, errors, latency, saturation), then the
 * idempotency, dependency-error, DLQ, rotation and deploy panels. Pure: the construct serializes it.
 */
import { ALERT_RUNBOOKS } from "./alert-catalog.js";
import { cloudRunMetricFilter, subscriptionMetricFilter } from "./filters.js";
import type { LogMetricKey } from "./log-metrics.js";
import type { AlertThresholds } from "./props.js";
import { runbookUrl } from "../../config/runbook-link.js";

interface Aggregation {
  alignmentPeriod: string;
  perSeriesAligner: string;
  crossSeriesReducer?: string;
  groupByFields?: string[];
}

interface DataSet {
  timeSeriesQuery: { timeSeriesFilter?: { filter: string; aggregation: Aggregation }; timeSeriesFilterRatio?: { numerator: { filter: string; aggregation: Aggregation }; denominator: { filter: string; aggregation: Aggregation } } };
  plotType: "LINE" | "STACKED_BAR" | "STACKED_AREA";
  legendTemplate?: string;
  targetAxis?: "Y1";
}

export interface Tile {
  xPos: number;
  yPos: number;
  width: number;
  height: number;
  widget: { title: string; xyChart?: { dataSets: DataSet[]; thresholds?: { value: number; label: string }[]; yAxis?: { label: string; scale: "LINEAR" }; chartOptions?: { mode: "COLOR" } }; text?: { content: string; format: "MARKDOWN" } };
}

export interface DashboardInput {
  readonly environment: string;
  readonly services: readonly string[];
  readonly dlqSubscriptions: readonly string[];
  readonly thresholds: AlertThresholds;
  readonly runbookBaseUrl: string;
  /** the Monitoring filter of a log-based metric (with its resource type) */
  readonly metricFilter: (key: LogMetricKey) => string;
}

/**
 * A label reference in a legend template. Terraform reads `${...}` in any string as interpolation,
 * so it is escaped as `$${...}`; Terraform writes `${...}` into the dashboard JSON.
 */
export const labelRef = (path: string): string => `$\${${path}}`;

const rate = (groupBy: string[] = []): Aggregation => ({ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM", groupByFields: groupBy });
const countPer = (period: string, groupBy: string[] = []): Aggregation => ({ alignmentPeriod: period, perSeriesAligner: "ALIGN_SUM", crossSeriesReducer: "REDUCE_SUM", groupByFields: groupBy });
const line = (filter: string, aggregation: Aggregation, legend?: string): DataSet => ({ timeSeriesQuery: { timeSeriesFilter: { filter, aggregation } }, plotType: "LINE", ...(legend ? { legendTemplate: legend } : {}) });
const bars = (filter: string, aggregation: Aggregation, legend?: string): DataSet => ({ ...line(filter, aggregation, legend), plotType: "STACKED_BAR" });

/** Tiles in reading order; the layout puts two per row. */
export function dashboardWidgets(input: DashboardInput): Tile["widget"][] {
  const { thresholds: t, metricFilter } = input;
  const svcLabel = "resource.label.service_name";
  const widgets: Tile["widget"][] = [
    {
      title: "On-call: runbooks",
      text: {
        format: "MARKDOWN",
        content: `Environment **${input.environment}**. Every alert names its runbook:\n\n${ALERT_RUNBOOKS.map((r) => `- [${r}](${runbookUrl(input.runbookBaseUrl, r)})`).join("\n")}`,
      },
    },
  ];
  for (const service of input.services) {
    widgets.push(
      { title: `${service} · traffic (requests/s by response class)`, xyChart: { dataSets: [bars(cloudRunMetricFilter("request_count", [service]), rate(["metric.label.response_code_class"]), labelRef("metric.label.response_code_class"))] } },
      {
        title: `${service} · errors (5xx ratio)`,
        xyChart: {
          dataSets: [
            {
              timeSeriesQuery: {
                timeSeriesFilterRatio: {
                  numerator: { filter: cloudRunMetricFilter("request_count", [service], 'metric.labels.response_code_class="5xx"'), aggregation: rate([svcLabel]) },
                  denominator: { filter: cloudRunMetricFilter("request_count", [service]), aggregation: rate([svcLabel]) },
                },
              },
              plotType: "LINE",
            },
          ],
          thresholds: [{ value: t.http5xxRatio, label: "alert" }],
        },
      },
      {
        title: `${service} · latency p50 / p95 / p99 (ms)`,
        xyChart: {
          dataSets: (["50", "95", "99"] as const).map((p) =>
            line(cloudRunMetricFilter("request_latencies", [service]), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: `REDUCE_PERCENTILE_${p}`, groupByFields: [svcLabel] }, `p${p}`),
          ),
          thresholds: [{ value: t.latencyP95Ms, label: "p95 alert" }],
        },
      },
      {
        title: `${service} · saturation (instances, CPU utilization p95)`,
        xyChart: {
          dataSets: [
            line(cloudRunMetricFilter("container/instance_count", [service]), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["metric.label.state"] }, "instances " + labelRef("metric.label.state")),
            line(cloudRunMetricFilter("container/cpu/utilizations", [service]), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_95", groupByFields: [svcLabel] }, "cpu p95"),
          ],
        },
      },
    );
  }
  widgets.push(
    {
      title: "Idempotency · inconsistencies found per hour (by kind)",
      xyChart: { dataSets: [bars(metricFilter("idempotencyInconsistent"), countPer("3600s", ["metric.label.kind"]), labelRef("metric.label.kind"))], thresholds: [{ value: t.idempotencyInconsistenciesPerHour, label: "alert" }] },
    },
    {
      title: "Idempotency · repairs (success / failure)",
      xyChart: {
        dataSets: [
          bars(metricFilter("idempotencyRecoverySuccess"), countPer("3600s"), "repaired"),
          bars(metricFilter("idempotencyRecoveryFailure"), countPer("3600s"), "repair failed"),
        ],
      },
    },
    {
      title: "Dependencies · Redis connection refused / Firestore contention (per 5 min)",
      xyChart: {
        dataSets: [
          bars(metricFilter("redisConnectionRefused"), countPer("300s", ["metric.label.service"]), "redis refused " + labelRef("metric.label.service")),
          bars(metricFilter("firestoreContention"), countPer("300s", ["metric.label.service"]), "firestore 409 " + labelRef("metric.label.service")),
        ],
      },
    },
  );
  if (input.dlqSubscriptions.length > 0) {
    widgets.push(
      {
        title: "DLQ · undelivered messages",
        xyChart: { dataSets: [line(subscriptionMetricFilter("num_undelivered_messages", input.dlqSubscriptions), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["resource.label.subscription_id"] }, labelRef("resource.label.subscription_id"))], thresholds: [{ value: t.dlqBacklogMessages, label: "alert" }] },
      },
      {
        title: "DLQ · oldest unacked message age (s)",
        xyChart: { dataSets: [line(subscriptionMetricFilter("oldest_unacked_message_age", input.dlqSubscriptions), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_MAX", groupByFields: ["resource.label.subscription_id"] }, labelRef("resource.label.subscription_id"))], thresholds: [{ value: t.dlqOldestUnackedSeconds, label: "alert" }] },
      },
    );
  }
  widgets.push(
    {
      title: "Secret rotation · completed / failed / overdue (per day)",
      xyChart: {
        dataSets: [
          bars(metricFilter("secretRotationCompleted"), countPer("86400s", ["metric.label.secret"]), "rotated " + labelRef("metric.label.secret")),
          bars(metricFilter("secretRotationFailed"), countPer("86400s", ["metric.label.secret"]), "failed " + labelRef("metric.label.secret")),
          bars(metricFilter("secretRotationOverdue"), countPer("86400s", ["metric.label.secret"]), "overdue " + labelRef("metric.label.secret")),
        ],
      },
    },
    {
      title: "Deploys · completed / failed / rolled back, scheduled job failures",
      xyChart: {
        dataSets: [
          bars(metricFilter("deployCompleted"), countPer("3600s", ["metric.label.service"]), "deployed " + labelRef("metric.label.service")),
          bars(metricFilter("deployFailed"), countPer("3600s", ["metric.label.service"]), "failed " + labelRef("metric.label.service")),
          bars(metricFilter("deployRollback"), countPer("3600s", ["metric.label.service"]), "rolled back " + labelRef("metric.label.service")),
          bars(metricFilter("schedulerJobFailed"), countPer("3600s", ["metric.label.job"]), "scheduler " + labelRef("metric.label.job")),
        ],
      },
    },
  );
  return widgets;
}

/** The dashboard document: two tiles per row on the 48-column mosaic grid. */
export function dashboardDocument(input: DashboardInput): { displayName: string; mosaicLayout: { columns: number; tiles: Tile[] } } {
  // The API fills in defaults it then returns (targetAxis, chartOptions.mode); writing them here
  // keeps `terraform plan` from showing a diff on every run (terraform-provider-google #7242, #16173).
  const widgets = dashboardWidgets(input).map((w) =>
    w.xyChart ? { ...w, xyChart: { ...w.xyChart, dataSets: w.xyChart.dataSets.map((d) => ({ ...d, targetAxis: "Y1" as const })), chartOptions: { mode: "COLOR" as const } } } : w,
  );
  const tiles = widgets.map((widget, i): Tile => {
    const full = i === 0;
    const slot = i - 1;
    return full ? { xPos: 0, yPos: 0, width: 48, height: 8, widget } : { xPos: (slot % 2) * 24, yPos: 8 + Math.floor(slot / 2) * 16, width: 24, height: 16, widget };
  });
  return { displayName: `opsctl · ${input.environment} · golden signals`, mosaicLayout: { columns: 48, tiles } };
}
