import { allResources, referencedResource, stackOf } from "../synth-output.js";
import type { ResourceRule, RuleInfo } from "../types.js";

export const info: RuleInfo = {
  id: "subscription-dead-letter",
  cause: "a subscription has no dead-letter policy",
  explanation:
    "Without a dead-letter topic a poison message is redelivered forever, blocking ordered delivery and burning the consumer (duplicate replies, seed 000/003). Every subscription sets `dead_letter_policy` with max delivery attempts; only the subscription that drains a dead-letter topic is exempt.",
  level: "error",
  appliesTo: "google_pubsub_subscription",
};

export const rule: ResourceRule = {
  info,
  scope: "resource",
  check(resource, output) {
    if (resource.type !== "google_pubsub_subscription") return "NOT_APPLICABLE";
    const policy = resource.values.dead_letter_policy;
    if (policy !== null && typeof policy === "object" && (policy as { dead_letter_topic?: unknown }).dead_letter_topic) return "COMPLIANT";
    // The subscription on a dead-letter topic is where dead letters end up; it needs none itself.
    const topic = referencedResource(output, stackOf(output, resource), resource.values.topic);
    const isDlqDrain = topic !== undefined && allResources(output).some((r) => {
      if (r.type !== "google_pubsub_subscription") return false;
      const p = r.values.dead_letter_policy as { dead_letter_topic?: unknown } | undefined;
      return referencedResource(output, stackOf(output, r), p?.dead_letter_topic) === topic;
    });
    return isDlqDrain ? "NOT_APPLICABLE" : { result: "NON_COMPLIANT", detail: `subscription ${JSON.stringify(resource.values.name)} has no dead_letter_policy` };
  },
};
