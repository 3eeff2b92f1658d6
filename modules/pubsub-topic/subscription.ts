/**
 * One subscription that dead-letters, with the IAM the Pub/Sub service agent needs to move a
 * message to the dead-letter topic (subscriber on this subscription). Used by PubsubTopic for pull
 * subscriptions and by the services stack for push subscriptions (their endpoint is a service URL,
 * so they live above the services they push to).
 */
import { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription/index.js";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member/index.js";
import { Construct } from "constructs";
import { toSeconds, validateProps } from "../core/validate-props.js";

export interface SubscriptionProps {
  readonly name: string;
  /** topic id to subscribe to */
  readonly topic: string;
  /** dead-letter topic id */
  readonly deadLetterTopic: string;
  /** 5-100 @default 5 */
  readonly maxDeliveryAttempts?: number;
  /** the Pub/Sub service agent, serviceAccount:service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com */
  readonly pubsubServiceAgent: string;
  /** 10-600 @default 60 */
  readonly ackDeadlineSeconds?: number;
  /** @default { minimumBackoff: "10s", maximumBackoff: "600s" } */
  readonly retry?: { readonly minimumBackoff: string; readonly maximumBackoff: string };
  /** @default "7d" */
  readonly messageRetention?: string;
  /** @default false */
  readonly enableMessageOrdering?: boolean;
  /** push to this HTTPS endpoint with an OIDC token of this service account; pull when absent */
  readonly push?: { readonly endpoint: string; readonly serviceAccountEmail: string };
}

export class Subscription extends Construct {
  readonly subscription: PubsubSubscription;

  constructor(scope: Construct, id: string, props: SubscriptionProps) {
    super(scope, id);
    const attempts = props.maxDeliveryAttempts ?? 5;
    const ack = props.ackDeadlineSeconds ?? 60;
    validateProps(`Subscription ${id}`, [
      [attempts >= 5 && attempts <= 100, `maxDeliveryAttempts ${attempts} is outside 5-100`],
      [ack >= 10 && ack <= 600, `ackDeadlineSeconds ${ack} is outside 10-600`],
    ]);
    const retry = props.retry ?? { minimumBackoff: "10s", maximumBackoff: "600s" };
    this.subscription = new PubsubSubscription(this, "subscription", {
      name: props.name,
      topic: props.topic,
      ackDeadlineSeconds: ack,
      messageRetentionDuration: toSeconds(props.messageRetention ?? "7d"),
      enableMessageOrdering: props.enableMessageOrdering ?? false,
      deadLetterPolicy: { deadLetterTopic: props.deadLetterTopic, maxDeliveryAttempts: attempts },
      retryPolicy: { minimumBackoff: toSeconds(retry.minimumBackoff), maximumBackoff: toSeconds(retry.maximumBackoff) },
      ...(props.push ? { pushConfig: { pushEndpoint: props.push.endpoint, oidcToken: { serviceAccountEmail: props.push.serviceAccountEmail } } } : {}),
    });
    // The service agent acknowledges the message here when it forwards it to the dead-letter topic.
    new PubsubSubscriptionIamMember(this, "agent-subscriber", {
      subscription: this.subscription.name,
      role: "roles/pubsub.subscriber",
      member: props.pubsubServiceAgent,
    });
  }
}
