/**
 * A Pub/Sub topic with its pull subscriptions and their dead-letter topics. Every dead-letter
 * topic gets its own subscription (a DLQ nobody subscribes to drops messages), and the Pub/Sub
 * service agent gets publisher on it.
 */
import { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription/index.js";
import { PubsubTopic as PubsubTopicResource } from "@cdktf/provider-google/lib/pubsub-topic/index.js";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js";
import { Construct } from "constructs";
import { isLiteral, toSeconds, validateProps } from "../core/validate-props.js";
import { Subscription, type SubscriptionProps } from "./subscription.js";

export { Subscription, type SubscriptionProps } from "./subscription.js";

export interface TopicSubscriptionSpec extends Omit<SubscriptionProps, "topic" | "deadLetterTopic" | "pubsubServiceAgent"> {
  /** dead-letter topic name @default "<topic>-dlq" */
  readonly deadLetterTopicName?: string;
}

export interface PubsubTopicProps {
  readonly name: string;
  /** @default "7d" */
  readonly messageRetention?: string;
  /** serviceAccount:service-<project number>@gcp-sa-pubsub.iam.gserviceaccount.com */
  readonly pubsubServiceAgent: string;
  /** pull subscriptions created with the topic @default [] */
  readonly subscriptions?: readonly TopicSubscriptionSpec[];
  /** dead-letter topics to create even without a pull subscription (push ones live elsewhere) @default [] */
  readonly deadLetterTopicNames?: readonly string[];
  /** name of the subscription on a dead-letter topic @default "<dlq>-sub" */
  readonly deadLetterSubscriptionName?: (dlqTopic: string) => string;
}

export interface DeadLetterQueue {
  readonly topic: PubsubTopicResource;
  readonly subscription: PubsubSubscription;
}

export class PubsubTopic extends Construct {
  readonly topic: PubsubTopicResource;
  readonly subscriptions: Map<string, Subscription> = new Map();
  readonly deadLetterQueues: Map<string, DeadLetterQueue> = new Map();

  constructor(scope: Construct, id: string, props: PubsubTopicProps) {
    super(scope, id);
    const subs = props.subscriptions ?? [];
    validateProps(`PubsubTopic ${id}`, [
      [!isLiteral(props.name) || /^[a-zA-Z][\w.~+%-]{2,254}$/.test(props.name), `topic name "${props.name}" must be 3-255 chars and start with a letter`],
      ...subs.map((s) => [(s.deadLetterTopicName ?? `${props.name}-dlq`) !== props.name, `subscription ${s.name} cannot dead-letter to its own topic`] as const),
    ]);
    this.topic = new PubsubTopicResource(this, "topic", {
      name: props.name,
      messageRetentionDuration: toSeconds(props.messageRetention ?? "7d"),
    });

    const dlqNames = new Set([...(props.deadLetterTopicNames ?? []), ...subs.map((s) => s.deadLetterTopicName ?? `${props.name}-dlq`)]);
    for (const dlqName of [...dlqNames].sort()) this.deadLetterQueue(dlqName, props);

    for (const spec of subs) {
      const dlq = this.deadLetterQueue(spec.deadLetterTopicName ?? `${props.name}-dlq`, props);
      const { deadLetterTopicName: _ignored, ...rest } = spec;
      this.subscriptions.set(
        spec.name,
        new Subscription(this, `sub-${spec.name}`, { ...rest, topic: this.topic.id, deadLetterTopic: dlq.topic.id, pubsubServiceAgent: props.pubsubServiceAgent }),
      );
    }
  }

  private deadLetterQueue(name: string, props: PubsubTopicProps): DeadLetterQueue {
    const existing = this.deadLetterQueues.get(name);
    if (existing) return existing;
    const topic = new PubsubTopicResource(this, `dlq-${name}`, { name, messageRetentionDuration: toSeconds("7d") });
    const subscriptionName = props.deadLetterSubscriptionName?.(name) ?? `${name}-sub`;
    // Dead letters are kept for inspection and replay (`opsctl pubsub dlq`): long ack deadline,
    // maximum retention, and no dead-letter policy of their own.
    const subscription = new PubsubSubscription(this, `dlq-${name}-sub`, {
      name: subscriptionName,
      topic: topic.id,
      ackDeadlineSeconds: 600,
      messageRetentionDuration: toSeconds("7d"),
      expirationPolicy: { ttl: "" },
    });
    new PubsubTopicIamMember(this, `dlq-${name}-agent-publisher`, {
      topic: topic.name,
      role: "roles/pubsub.publisher",
      member: props.pubsubServiceAgent,
    });
    const dlq = { topic, subscription };
    this.deadLetterQueues.set(name, dlq);
    return dlq;
  }
}
