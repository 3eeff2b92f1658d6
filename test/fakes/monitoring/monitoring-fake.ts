/**
 * A fake of the Cloud Monitoring v3 `projects.timeSeries.list` endpoint, enough for the Pub/Sub
 * subscription metrics: the test sets a value per (metric, subscription), the fake answers the
 * public JSON shape (timeSeries[].points[] with interval.endTime and value.int64Value).
 */
import { HttpFake } from "../http-fake.js";

export class MonitoringFake extends HttpFake {
  /** "num_undelivered_messages/sub-name" → value */
  readonly values = new Map<string, number>();

  constructor() {
    super();
    this.route("GET", "/v3/projects/:project/timeSeries", (req) => {
      const filter = req.query.get("filter") ?? "";
      const metric = /subscription\/([a-z_]+)"/.exec(filter)?.[1];
      const subscription = /subscription_id = "([^"]+)"/.exec(filter)?.[1];
      const value = metric && subscription ? this.values.get(`${metric}/${subscription}`) : undefined;
      if (value === undefined) return { body: {} };
      const endTime = req.query.get("interval.endTime") ?? new Date().toISOString();
      return {
        body: {
          timeSeries: [
            {
              metric: { type: `pubsub.googleapis.com/subscription/${metric}` },
              resource: { type: "pubsub_subscription", labels: { project_id: req.params.project, subscription_id: subscription } },
              points: [
                { interval: { startTime: endTime, endTime }, value: { int64Value: String(value) } },
                { interval: { startTime: "2000-01-01T00:00:00Z", endTime: "2000-01-01T00:00:00Z" }, value: { int64Value: "999999" } },
              ],
            },
          ],
        },
      };
    });
  }

  set(metric: "num_undelivered_messages" | "oldest_unacked_message_age", subscription: string, value: number): void {
    this.values.set(`${metric}/${subscription}`, value);
  }
}
