import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ALERTS, ALERT_RUNBOOKS } from "./alert-catalog.js";
import { MonitoringExampleStack } from "./example.js";
import { runbookNameIn } from "../../config/runbook-link.js";

interface Synth {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
}

interface Policy {
  display_name: string;
  severity: string;
  combiner: string;
  notification_channels: string[];
  user_labels: Record<string, string>;
  depends_on?: string[];
  documentation: { content: string; mime_type: string; subject: string; links: { display_name: string; url: string }[] };
  conditions: {
    display_name: string;
    condition_threshold: {
      filter: string;
      denominator_filter?: string;
      comparison: string;
      threshold_value: number;
      duration: string;
      aggregations: { alignment_period: string; per_series_aligner: string; cross_series_reducer: string; group_by_fields: string[] }[];
    };
  }[];
}

function synthExample(): Synth {
  const stack = new MonitoringExampleStack(Testing.app(), "example");
  return JSON.parse(Testing.synth(stack)) as Synth;
}

const synth = synthExample();
const policies = Object.values(synth.resource.google_monitoring_alert_policy ?? {}) as unknown as Policy[];
const policy = (displayName: string): Policy => {
  const found = policies.find((p) => p.display_name === displayName);
  if (!found) throw new Error(`no alert policy "${displayName}"; have ${policies.map((p) => p.display_name).join(", ")}`);
  return found;
};
const metrics = Object.values(synth.resource.google_logging_metric ?? {}) as unknown as { name: string; filter: string; label_extractors: Record<string, string> }[];
const metric = (name: string) => {
  const found = metrics.find((m) => m.name === name);
  if (!found) throw new Error(`no log metric ${name}; have ${metrics.map((m) => m.name).join(", ")}`);
  return found;
};

describe("Monitoring construct — log-based metrics", () => {
  it("GIVEN the example WHEN synthesized THEN each opsctl event has a metric filtering on exactly component + event", () => {
    expect(metric("wa-prod/opsctl/idempotency.inconsistent.detected").filter).toBe('jsonPayload.component="opsctl" AND jsonPayload.event="idempotency.inconsistent.detected"');
    expect(metric("wa-prod/opsctl/idempotency.inconsistent.detected").label_extractors).toEqual({ env: "EXTRACT(jsonPayload.env)", kind: "EXTRACT(jsonPayload.kind)" });
    expect(metric("wa-prod/opsctl/idempotency.recovery.failure").filter).toBe('jsonPayload.component="opsctl" AND jsonPayload.event="idempotency.recovery.failure"');
    expect(metric("wa-prod/opsctl/secret.rotation.overdue").filter).toBe('jsonPayload.component="opsctl" AND jsonPayload.event="secret.rotation.overdue"');
    expect(metric("wa-prod/opsctl/deploy.rollback").label_extractors.service).toBe("EXTRACT(jsonPayload.service)");
  });

  it("THEN the Redis metric matches ECONNREFUSED / Connection refused on the services' Cloud Run logs", () => {
    const filter = metric("wa-prod/app/redis-connection-refused").filter;
    expect(filter).toContain('resource.type="cloud_run_revision"');
    expect(filter).toContain('resource.labels.service_name="wa-prod-webhook" OR resource.labels.service_name="wa-prod-worker"');
    expect(filter).toContain('textPayload:"ECONNREFUSED"');
    expect(filter).toContain('jsonPayload.message:"Connection refused"');
  });

  it("THEN the scheduler metric selects failed attempts of the listed jobs", () => {
    expect(metric("wa-prod/scheduler/job-failed").filter).toBe('resource.type="cloud_scheduler_job" AND (resource.labels.job_id="wa-prod-idempotency-check-hourly") AND severity>=ERROR');
  });
});

describe("Monitoring construct — metric registration gate", () => {
  it("THEN one terraform_data waits (local-exec sleep) after all metrics, re-run only when the metric set changes", () => {
    const gates = Object.values(synth.resource.terraform_data ?? {}) as { triggers_replace: { metrics: string }; provisioner: { "local-exec": { command: string } }[]; depends_on: string[] }[];
    expect(gates).toHaveLength(1);
    expect(gates[0]?.provisioner).toEqual([{ "local-exec": { command: "sleep 120" } }]);
    expect(gates[0]?.depends_on).toHaveLength(metrics.length);
    expect(gates[0]?.triggers_replace.metrics.split(",")).toEqual(expect.arrayContaining(metrics.map((m) => m.name)));
  });

  it("THEN policies on Cloud Run / Pub/Sub metrics do not wait", () => {
    expect(policy(ALERTS.cloudRun5xxRatio.displayName).depends_on ?? []).toEqual([]);
  });
});

describe("Monitoring construct — alert policies", () => {
  it("THEN every policy has a runbook link set by withRunbook and the runbook label", () => {
    expect(policies.length).toBe(Object.keys(ALERTS).length);
    for (const p of policies) {
      const runbook = runbookNameIn(p.documentation.content);
      expect(runbook, p.display_name).toBeDefined();
      expect(p.documentation.content).toContain(`(https://github.com/opsctl/opsctl/blob/main/runbooks/${runbook}.md)`);
      expect(p.documentation.mime_type).toBe("text/markdown");
      expect(p.documentation.subject).toBe(`[prod] ${p.display_name}`);
      expect(p.user_labels.runbook).toBe(runbook);
      expect(p.notification_channels).toHaveLength(3);
    }
  });

  it("THEN every condition filter restricts resource.type (the API refuses a condition without it)", () => {
    for (const p of policies) for (const c of p.conditions) expect(c.condition_threshold.filter, `${p.display_name} / ${c.display_name}`).toMatch(/ AND resource\.type="[a-z_]+"/);
  });

  it("THEN the runbooks referenced by the alerts are exactly ALERT_RUNBOOKS", () => {
    const referenced = new Set(policies.map((p) => runbookNameIn(p.documentation.content)));
    expect([...referenced].sort()).toEqual([...ALERT_RUNBOOKS].sort());
  });

  it("idempotency inconsistencies: sum per hour > 10, fires at once", () => {
    const p = policy(ALERTS.idempotencyInconsistencies.displayName);
    expect(p.documentation.content).toContain("runbooks/idempotency-inconsistency.md");
    const c = p.conditions[0]?.condition_threshold;
    expect(c?.filter).toBe('metric.type="logging.googleapis.com/user/wa-prod/opsctl/idempotency.inconsistent.detected" AND resource.type="cloud_run_job"');
    expect(c).toMatchObject({ comparison: "COMPARISON_GT", threshold_value: 10, duration: "0s" });
    expect(c?.aggregations[0]).toMatchObject({ alignment_period: "3600s", per_series_aligner: "ALIGN_SUM", cross_series_reducer: "REDUCE_SUM" });
    // the metric must exist before the policy names it
    const metricKey = Object.entries(synth.resource.google_logging_metric ?? {}).find(([, m]) => m.name === "wa-prod/opsctl/idempotency.inconsistent.detected")?.[0];
    const gateKey = Object.keys(synth.resource.terraform_data ?? {})[0];
    expect(p.depends_on).toEqual([`google_logging_metric.${metricKey}`, `terraform_data.${gateKey}`]);
  });

  it("idempotency repair failures: any failure", () => {
    const c = policy(ALERTS.idempotencyRecoveryFailures.displayName).conditions[0]?.condition_threshold;
    expect(c?.filter).toBe('metric.type="logging.googleapis.com/user/wa-prod/opsctl/idempotency.recovery.failure" AND resource.type="cloud_run_job"');
    expect(c).toMatchObject({ comparison: "COMPARISON_GT", threshold_value: 0, duration: "0s" });
  });

  it("Redis connection refused: any refused connection in 5 min, per service, on Cloud Run", () => {
    const p = policy(ALERTS.redisConnectionRefused.displayName);
    expect(p.severity).toBe("CRITICAL");
    expect(p.documentation.content).toContain("runbooks/redis-connection-refused.md");
    const c = p.conditions[0]?.condition_threshold;
    expect(c?.filter).toBe('metric.type="logging.googleapis.com/user/wa-prod/app/redis-connection-refused" AND resource.type="cloud_run_revision"');
    expect(c).toMatchObject({ threshold_value: 0, duration: "0s" });
    expect(c?.aggregations[0]).toMatchObject({ alignment_period: "300s", group_by_fields: ["metric.label.service"] });
  });

  it("Firestore contention: more than 20 ABORTED/409 per 5 min", () => {
    const p = policy(ALERTS.firestoreContention.displayName);
    expect(p.documentation.content).toContain("runbooks/firestore-contention-409.md");
    expect(p.conditions[0]?.condition_threshold).toMatchObject({ threshold_value: 20, duration: "0s" });
    expect(metric("wa-prod/app/firestore-contention").filter).toContain('textPayload:"409 Aborted"');
  });

  it("Cloud Run 5xx ratio: 5xx over all requests per service > 5% for 5 min", () => {
    const p = policy(ALERTS.cloudRun5xxRatio.displayName);
    expect(p.documentation.content).toContain("runbooks/service-unhealthy.md");
    const c = p.conditions[0]?.condition_threshold;
    expect(c?.filter).toBe('metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.labels.service_name=one_of("wa-prod-webhook", "wa-prod-worker") AND metric.labels.response_code_class="5xx"');
    expect(c?.denominator_filter).toBe('metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND resource.labels.service_name=one_of("wa-prod-webhook", "wa-prod-worker")');
    expect(c).toMatchObject({ comparison: "COMPARISON_GT", threshold_value: 0.05, duration: "300s" });
    expect(c?.aggregations[0]?.group_by_fields).toEqual(["resource.label.service_name"]);
  });

  it("Cloud Run p95 latency: > 2000 ms for 5 min per service", () => {
    const c = policy(ALERTS.cloudRunLatencyP95.displayName).conditions[0]?.condition_threshold;
    expect(c?.filter).toContain('metric.type="run.googleapis.com/request_latencies"');
    expect(c).toMatchObject({ threshold_value: 2000, duration: "300s" });
    expect(c?.aggregations[0]).toMatchObject({ per_series_aligner: "ALIGN_DELTA", cross_series_reducer: "REDUCE_PERCENTILE_95" });
  });

  it("webhook redelivery latency: only the webhook services", () => {
    const p = policy(ALERTS.webhookRetryLatency.displayName);
    expect(p.documentation.content).toContain("runbooks/duplicate-replies.md");
    expect(p.conditions[0]?.condition_threshold.filter).toContain('resource.labels.service_name="wa-prod-webhook"');
    expect(p.conditions[0]?.condition_threshold.filter).not.toContain("wa-prod-worker");
  });

  it("DLQ backlog and oldest unacked age on the dead-letter subscriptions", () => {
    const backlog = policy(ALERTS.dlqBacklog.displayName).conditions[0]?.condition_threshold;
    expect(backlog?.filter).toBe('metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages" AND resource.type="pubsub_subscription" AND resource.labels.subscription_id=one_of("wa-prod-whatsapp-inbound-messages-dlq-sub", "wa-prod-audit-events-dlq-sub")');
    expect(backlog).toMatchObject({ threshold_value: 0, duration: "0s" });
    const age = policy(ALERTS.dlqOldestUnacked.displayName).conditions[0]?.condition_threshold;
    expect(age?.filter).toContain("pubsub.googleapis.com/subscription/oldest_unacked_message_age");
    expect(age).toMatchObject({ threshold_value: 3600 });
    expect(policy(ALERTS.dlqBacklog.displayName).documentation.content).toContain("runbooks/dlq-growing.md");
  });

  it("secret rotation overdue: from the opsctl event, not a metric absence", () => {
    const p = policy(ALERTS.secretRotationOverdue.displayName);
    expect(p.documentation.content).toContain("runbooks/secret-rotation.md");
    expect(p.documentation.content).toContain("WHATSAPP_ACCESS_TOKEN every 55 d");
    const c = p.conditions[0];
    expect(c?.condition_threshold.filter).toBe('metric.type="logging.googleapis.com/user/wa-prod/opsctl/secret.rotation.overdue" AND resource.type="cloud_run_job"');
    expect(c?.condition_threshold).toMatchObject({ threshold_value: 0, duration: "0s" });
    expect(Object.keys(c ?? {})).not.toContain("condition_absent");
  });

  it("scheduler failures, token rejections and deploy failures lead to their runbooks", () => {
    expect(policy(ALERTS.schedulerJobFailed.displayName).documentation.content).toContain("runbooks/scheduler-job-failed.md");
    expect(policy(ALERTS.whatsappTokenRejected.displayName).documentation.content).toContain("runbooks/whatsapp-token-expired.md");
    const deploy = policy(ALERTS.deployFailed.displayName);
    expect(deploy.conditions.map((c) => c.condition_threshold.filter)).toEqual([
      'metric.type="logging.googleapis.com/user/wa-prod/opsctl/deploy.failed" AND resource.type="build"',
      'metric.type="logging.googleapis.com/user/wa-prod/opsctl/deploy.rollback" AND resource.type="build"',
    ]);
    expect(deploy.combiner).toBe("OR");
  });
});

describe("Monitoring construct — notification channels", () => {
  const channels = Object.values(synth.resource.google_monitoring_notification_channel ?? {}) as unknown as { type: string; labels: Record<string, string>; sensitive_labels?: Record<string, string> }[];

  it("THEN email, pubsub and webhook channels come from the config, the webhook password by reference", () => {
    expect(channels.map((c) => c.type).sort()).toEqual(["email", "pubsub", "webhook_basicauth"]);
    expect(channels.find((c) => c.type === "email")?.labels).toEqual({ email_address: "oncall@example.com" });
    const webhook = channels.find((c) => c.type === "webhook_basicauth");
    expect(webhook?.labels).toEqual({ url: "https://chatops.example.com/hooks/alerts", username: "opsctl" });
    expect(webhook?.sensitive_labels?.password).toMatch(/^\$\{data\.google_secret_manager_secret_version\..+\.secret_data\}$/);
    expect(synth.data?.google_secret_manager_secret_version).toBeDefined();
  });

  it("THEN the Monitoring notification agent may publish to the pubsub channel's topic", () => {
    const members = Object.values(synth.resource.google_pubsub_topic_iam_member ?? {});
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ topic: "projects/wa-bot-prod/topics/wa-prod-ops-alerts", role: "roles/pubsub.publisher" });
    expect(String(members[0]?.member)).toMatch(/^serviceAccount:service-\$\{data\.google_project\..+\.number\}@gcp-sa-monitoring-notification\.iam\.gserviceaccount\.com$/);
  });
});

describe("Monitoring construct — dashboard", () => {
  const dashboards = Object.values(synth.resource.google_monitoring_dashboard ?? {}) as unknown as { dashboard_json: string }[];
  const doc = JSON.parse(dashboards[0]?.dashboard_json ?? "{}") as { displayName: string; mosaicLayout: { columns: number; tiles: { xPos: number; yPos: number; width: number; widget: { title: string; xyChart?: { dataSets: { timeSeriesQuery: { timeSeriesFilter?: { filter: string } } }[] } } }[] } };
  const titles = doc.mosaicLayout.tiles.map((t) => t.widget.title);

  it("THEN one dashboard per environment with the four golden signals of each service", () => {
    expect(dashboards).toHaveLength(1);
    expect(doc.displayName).toBe("opsctl · prod · golden signals");
    for (const service of ["wa-prod-webhook", "wa-prod-worker"]) {
      expect(titles).toEqual(expect.arrayContaining([
        `${service} · traffic (requests/s by response class)`,
        `${service} · errors (5xx ratio)`,
        `${service} · latency p50 / p95 / p99 (ms)`,
        `${service} · saturation (instances, CPU utilization p95)`,
      ]));
    }
  });

  it("THEN the idempotency, DLQ and rotation panels read the same metrics as the alerts", () => {
    const filterOf = (title: string) => doc.mosaicLayout.tiles.find((t) => t.widget.title === title)?.widget.xyChart?.dataSets.map((d) => d.timeSeriesQuery.timeSeriesFilter?.filter);
    expect(filterOf("Idempotency · inconsistencies found per hour (by kind)")).toEqual([policy(ALERTS.idempotencyInconsistencies.displayName).conditions[0]?.condition_threshold.filter]);
    expect(filterOf("DLQ · undelivered messages")).toEqual([policy(ALERTS.dlqBacklog.displayName).conditions[0]?.condition_threshold.filter]);
    expect(filterOf("Secret rotation · completed / failed / overdue (per day)")?.[2]).toBe(policy(ALERTS.secretRotationOverdue.displayName).conditions[0]?.condition_threshold.filter);
    expect(titles).toContain("DLQ · oldest unacked message age (s)");
  });

  it("THEN legend label references are escaped from Terraform interpolation ($${...})", () => {
    const raw = dashboards[0]?.dashboard_json ?? "";
    expect(raw).toContain("$${metric.label.kind}");
    expect(raw.replaceAll("$${", "")).not.toContain("${");
  });

  it("THEN tiles stay inside the 48-column grid without overlapping", () => {
    const cells = new Set<string>();
    for (const tile of doc.mosaicLayout.tiles) {
      expect(tile.xPos + tile.width).toBeLessThanOrEqual(48);
      const key = `${tile.xPos},${tile.yPos}`;
      expect(cells.has(key)).toBe(false);
      cells.add(key);
    }
  });
});

describe("Monitoring construct — determinism and validation", () => {
  it("GIVEN the same input THEN synth is byte-for-byte identical (a second plan shows no changes)", () => {
    const again = synthExample();
    expect(JSON.stringify(again)).toBe(JSON.stringify(synth));
  });
});

describe("Monitoring construct — props validation", () => {
  it("GIVEN several bad props THEN the constructor reports all of them at once", async () => {
    const { TerraformStack } = await import("cdktf");
    const { Monitoring } = await import("./monitoring.js");
    const stack = new TerraformStack(Testing.app(), "bad");
    expect(() =>
      new Monitoring(stack, "monitoring", {
        project: "wa-bot-prod",
        namePrefix: "Way-Too-Long-Prefix",
        environment: "dev",
        stage: "dev",
        services: [],
        runbookBaseUrl: "ftp://example.com",
        thresholds: { http5xxRatio: 5 },
        notificationChannels: [{ name: "chat", type: "webhook", url: "http://insecure.example.com" }],
      }),
    ).toThrow(/namePrefix "Way-Too-Long-Prefix"[\s\S]*services is empty[\s\S]*runbookBaseUrl "ftp:\/\/example\.com"[\s\S]*http5xxRatio 5[\s\S]*webhook URL must be https/);
  });
});
