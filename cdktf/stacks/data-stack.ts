import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { namesFor } from "../../config/naming.js";
import type { EnvironmentConfig } from "../../config/schema.js";
import { Bucket } from "../../modules/bucket/index.js";
import { Firestore } from "../../modules/firestore/index.js";
import { PubsubTopic } from "../../modules/pubsub-topic/index.js";
import { Redis } from "../../modules/redis/index.js";
import { Secret } from "../../modules/secret/index.js";
import { EnvironmentStack } from "./environment-stack.js";
import type { NetworkStack } from "./network-stack.js";

/** The dead-letter topic of a subscription (config default: `<topic>-dlq`). */
export function deadLetterTopicOf(topic: string, deadLetter: { topic?: string | undefined }): string {
  return deadLetter.topic ?? `${topic}-dlq`;
}

/** Memorystore, Firestore + indexes + TTL, buckets, topics + DLQs, secrets (never versions). */
export class DataStack extends EnvironmentStack {
  readonly redis: Redis;
  readonly firestore: Firestore;
  readonly buckets = new Map<string, Bucket>();
  readonly topics = new Map<string, PubsubTopic>();
  readonly secrets = new Map<string, Secret>();

  constructor(scope: Construct, config: EnvironmentConfig, network: NetworkStack) {
    super(scope, "data", config);
    const names = namesFor(config);
    const r = config.redis;
    this.redis = new Redis(this, "redis", {
      name: names.redis,
      region: config.project.region,
      network: network.network.network.id,
      reservedRangeName: network.network.reservedRangeName,
      tier: r.tier,
      memorySizeGb: r.memorySizeGb,
      version: r.version,
      authEnabled: r.authEnabled,
      transitEncryption: r.transitEncryption,
      evictionPolicy: r.evictionPolicy,
      maintenanceWindow: r.maintenanceWindow,
      persistence: r.persistence,
      readReplicas: r.readReplicas,
    });

    // What operators and the CLI read with `terraform output` (the services stack reads the same
    // attributes through cross-stack references).
    new TerraformOutput(this, "redis_host", { value: this.redis.host, description: "Memorystore primary endpoint IP" });
    new TerraformOutput(this, "redis_port", { value: this.redis.port });
    new TerraformOutput(this, "redis_server_ca_cert", { value: this.redis.serverCaCert, description: "PEM of the server CA, for TLS clients" });
    new TerraformOutput(this, "redis_env", { value: this.redis.envVars, description: "REDIS_HOST / REDIS_PORT / REDIS_TLS as services read them" });

    const f = config.firestore;
    this.firestore = new Firestore(this, "firestore", {
      databaseId: f.databaseId,
      location: f.location,
      pointInTimeRecovery: f.pointInTimeRecovery,
      deleteProtection: f.deleteProtection,
      indexes: f.indexes,
      ttl: f.ttl,
    });

    for (const [name, b] of sorted(config.buckets)) {
      this.buckets.set(
        name,
        new Bucket(this, `bucket-${name}`, {
          name: names.bucket(name),
          location: b.location ?? config.project.region,
          retentionDays: b.retentionDays,
          versioning: b.versioning,
          softDeleteDays: b.softDeleteDays,
          cors: b.cors,
        }),
      );
    }

    for (const [name, t] of sorted(config.topics)) {
      const subs = sorted(t.subscriptions);
      this.topics.set(
        name,
        new PubsubTopic(this, `topic-${name}`, {
          name: names.topic(name),
          messageRetention: t.messageRetention,
          pubsubServiceAgent: this.project.pubsubServiceAgent,
          deadLetterSubscriptionName: names.dlqSubscription,
          // push subscriptions target service URLs, so they are created in the services stack; their
          // dead-letter topics are created here with the topic
          deadLetterTopicNames: subs.filter(([, s]) => s.push).map(([, s]) => deadLetterTopicOf(name, s.deadLetter)),
          subscriptions: subs
            .filter(([, s]) => !s.push)
            .map(([subName, s]) => ({
              name: names.subscription(subName),
              ackDeadlineSeconds: s.ackDeadlineSeconds,
              maxDeliveryAttempts: s.deadLetter.maxDeliveryAttempts,
              deadLetterTopicName: deadLetterTopicOf(name, s.deadLetter),
              retry: s.retry,
              messageRetention: s.messageRetention,
              enableMessageOrdering: s.enableMessageOrdering,
            })),
        }),
      );
    }

    const secrets = sorted(config.secrets);
    const rotates = secrets.some(([, s]) => s.rotationDays !== undefined);
    let rotationTopic: PubsubTopic | undefined;
    if (rotates) {
      // Secret Manager publishes SECRET_ROTATE here; `opsctl secrets rotate` (or a subscriber) acts on it.
      rotationTopic = new PubsubTopic(this, "topic-secret-rotation", {
        name: names.rotationTopic,
        pubsubServiceAgent: this.project.pubsubServiceAgent,
        subscriptions: [{ name: `${names.rotationTopic}-pull`, maxDeliveryAttempts: 10 }],
      });
      this.project.grantPublisher("secret-manager-agent-rotation-publisher", rotationTopic.topic.name, this.project.secretManagerServiceAgent);
    }
    for (const [name, s] of secrets) {
      this.secrets.set(
        name,
        new Secret(this, `secret-${name}`, {
          secretId: names.secret(name),
          rotationDays: s.rotationDays,
          rotationTopic: rotationTopic?.topic.id,
          versionDestroyTtlDays: s.versionDestroyTtlDays,
        }),
      );
    }
  }
}

export function sorted<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
