import { allResources, referencedResource, stackOf } from "../synth-output.js";
import type { ResourceRule, RuleInfo } from "../types.js";

export const info: RuleInfo = {
  id: "dlq-topic-subscription",
  cause: "a dead-letter topic has no subscription, so dead-lettered messages are dropped",
  explanation:
    "Pub/Sub keeps messages only for subscriptions: a dead-letter topic nobody subscribes to silently drops everything forwarded to it. Every dead-letter topic needs its own subscription (the pubsub-topic module creates `<dlq>-sub`), which `opsctl pubsub dlq inspect|replay` reads.",
  level: "error",
  appliesTo: "google_pubsub_topic used as a dead_letter_topic",
};

export const rule: ResourceRule = {
  info,
  scope: "resource",
  check(resource, output) {
    if (resource.type !== "google_pubsub_topic") return "NOT_APPLICABLE";
    const subscriptions = allResources(output).filter((r) => r.type === "google_pubsub_subscription");
    const isDlq = subscriptions.some((s) => {
      const p = s.values.dead_letter_policy as { dead_letter_topic?: unknown } | undefined;
      return referencedResource(output, stackOf(output, s), p?.dead_letter_topic) === resource;
    });
    if (!isDlq) return "NOT_APPLICABLE";
    const drained = subscriptions.some((s) => referencedResource(output, stackOf(output, s), s.values.topic) === resource);
    return drained ? "COMPLIANT" : { result: "NON_COMPLIANT", detail: `dead-letter topic ${JSON.stringify(resource.values.name)} has no subscription` };
  },
};
