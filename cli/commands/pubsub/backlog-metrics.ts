/**
 * Backlog and oldest-message age of a subscription from Cloud Monitoring (the numbers the
 * `dlq-backlog` / `dlq-oldest-age` alerts use), so inspecting a large production DLQ does not have to
 * pull every message. Pub/Sub writes these metrics about once a minute; a new subscription may have
 * none yet, in which case the caller falls back to counting by pull.
 */
import { restClient } from "../../core/google-clients.js";

export interface MetricBacklog {
  backlog: number;
  oldestAgeSeconds?: number;
  /** end time of the sample the figures come from */
  sampledAt: string;
}

interface TimeSeriesList {
  timeSeries?: { points?: { interval?: { endTime?: string }; value?: { int64Value?: string; doubleValue?: number } }[] }[];
}

const LOOKBACK_MS = 10 * 60_000;

function latest(list: TimeSeriesList): { value: number; at: string } | undefined {
  let best: { value: number; at: string } | undefined;
  for (const series of list.timeSeries ?? []) {
    for (const point of series.points ?? []) {
      const at = point.interval?.endTime ?? "";
      const raw = point.value?.int64Value ?? point.value?.doubleValue;
      const value = Number(raw);
      if (raw === undefined || !Number.isFinite(value)) continue;
      if (!best || at > best.at) best = { value, at };
    }
  }
  return best;
}

export async function backlogFromMonitoring(projectId: string, subscriptionId: string, env: NodeJS.ProcessEnv = process.env, now = Date.now()): Promise<MetricBacklog | undefined> {
  const client = await restClient("monitoring", env);
  const query = (metric: string) => {
    const params = new URLSearchParams({
      filter: `metric.type = "pubsub.googleapis.com/subscription/${metric}" AND resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "${subscriptionId}"`,
      "interval.startTime": new Date(now - LOOKBACK_MS).toISOString(),
      "interval.endTime": new Date(now).toISOString(),
      view: "FULL",
    });
    return client.request<TimeSeriesList>(`/v3/projects/${encodeURIComponent(projectId)}/timeSeries?${params.toString()}`);
  };
  const [count, age] = await Promise.all([query("num_undelivered_messages"), query("oldest_unacked_message_age")]);
  const backlog = latest(count);
  if (!backlog) return undefined;
  const oldest = latest(age);
  return { backlog: backlog.value, ...(oldest && backlog.value > 0 ? { oldestAgeSeconds: oldest.value } : {}), sampledAt: backlog.at };
}
