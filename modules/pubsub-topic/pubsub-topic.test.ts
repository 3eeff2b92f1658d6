import { describe, expect, it } from "vitest";
import { synthConstructs } from "../core/synth-json.js";
import { PubsubTopic } from "./index.js";

const agent = "serviceAccount:service-123@gcp-sa-pubsub.iam.gserviceaccount.com";

describe("PubsubTopic", () => {
  it("GIVEN a pull subscription THEN it dead-letters to <topic>-dlq, which has its own subscription", () => {
    const out = synthConstructs((s) => new PubsubTopic(s, "t", { name: "audit-events", pubsubServiceAgent: agent, subscriptions: [{ name: "audit-pull", maxDeliveryAttempts: 10 }] }));
    expect(out.resources("google_pubsub_topic").map((t) => t.name).sort()).toEqual(["audit-events", "audit-events-dlq"]);
    expect(out.has("google_pubsub_subscription", { name: "audit-pull", dead_letter_policy: { max_delivery_attempts: 10 }, retry_policy: { minimum_backoff: "10s", maximum_backoff: "600s" } })).toBe(true);
    const dlqSub = out.resources("google_pubsub_subscription").find((s) => s.name === "audit-events-dlq-sub");
    expect(dlqSub?.topic).toMatch(/google_pubsub_topic\.t_dlq-audit-events-dlq/);
  });

  it("grants the Pub/Sub service agent publisher on the DLQ and subscriber on the source subscription", () => {
    const out = synthConstructs((s) => new PubsubTopic(s, "t", { name: "audit-events", pubsubServiceAgent: agent, subscriptions: [{ name: "audit-pull" }] }));
    expect(out.has("google_pubsub_topic_iam_member", { role: "roles/pubsub.publisher", member: agent })).toBe(true);
    expect(out.has("google_pubsub_subscription_iam_member", { role: "roles/pubsub.subscriber", member: agent })).toBe(true);
  });

  it("refuses a subscription that dead-letters to its own topic", () => {
    expect(() => synthConstructs((s) => new PubsubTopic(s, "t", { name: "loop", pubsubServiceAgent: agent, subscriptions: [{ name: "s", deadLetterTopicName: "loop" }] }))).toThrow(/own topic/);
  });
});
