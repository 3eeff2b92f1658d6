/**
 * A dead-letter world on the real Pub/Sub emulator: an original topic with a worker subscription, its
 * DLQ topic `<topic>-dlq` with the conventional `<topic>-dlq-sub`, a subscription that watches the
 * original topic (to see what a replay published), and an environment document describing it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PubSub, v1 } from "@google-cloud/pubsub";
import type { ClientOptions } from "google-gax";

export interface DeadLetter {
  data: string;
  attributes?: Record<string, string>;
  orderingKey?: string;
}

export interface ReceivedCopy {
  messageId: string;
  data: string;
  attributes: Record<string, string>;
  orderingKey: string;
}

export interface DlqWorld {
  projectId: string;
  topic: string;
  dlqTopic: string;
  dlqSubscription: string;
  configFile: string;
  env: Record<string, string>;
  /** publish straight to the DLQ topic, as Pub/Sub does after maxDeliveryAttempts */
  deadLetter(messages: DeadLetter[]): Promise<void>;
  /** drain the watcher of the original topic (acknowledging what it read) */
  drainTopic(options?: { expect?: number; timeoutMs?: number }): Promise<ReceivedCopy[]>;
  /** drain the DLQ subscription (acknowledging what it read) */
  drainDlq(): Promise<ReceivedCopy[]>;
  close(): Promise<void>;
}

let counter = 0;

export async function createDlqWorld(emulatorHost: string, options: { ackDeadlineSeconds?: number; withDlqSubscription?: boolean } = {}): Promise<DlqWorld> {
  process.env.PUBSUB_EMULATOR_HOST = emulatorHost;
  counter++;
  const projectId = `dlq-${process.pid}-${counter}-${Date.now() % 100_000}`;
  const topic = "orders-inbound";
  const dlqTopic = `${topic}-dlq`;
  const dlqSubscription = `${dlqTopic}-sub`;
  const pubsub = new PubSub({ projectId });
  const [original] = await pubsub.createTopic(topic);
  const [dlq] = await pubsub.createTopic(dlqTopic);
  await original.createSubscription("orders-worker", { ackDeadlineSeconds: 10 });
  const [watcher] = await original.createSubscription("orders-watcher", { ackDeadlineSeconds: 60, enableMessageOrdering: true });
  if (options.withDlqSubscription !== false) await dlq.createSubscription(dlqSubscription, { ackDeadlineSeconds: options.ackDeadlineSeconds ?? 10 });
  // a second topic whose DLQ has no subscription: inspect must flag it
  await pubsub.createTopic("audit-events");
  await pubsub.createTopic("audit-events-dlq");

  const dir = mkdtempSync(join(tmpdir(), "opsctl-dlq-"));
  const configFile = join(dir, "dlqtest.yaml");
  writeFileSync(
    configFile,
    `environment: dlqtest
stage: dev
project:
  id: ${projectId}
  region: southamerica-east1
namePrefix: dlq
network:
  subnetCidr: 10.10.0.0/24
  privateServiceRange: 10.20.0.0/16
  egress: direct
redis: {}
firestore:
  location: southamerica-east1
  collections: [audit_logs]
topics:
  ${topic}:
    subscriptions:
      orders-worker:
        deadLetter: { maxDeliveryAttempts: 5 }
  audit-events:
    subscriptions:
      audit-pull:
        deadLetter: { maxDeliveryAttempts: 10 }
`,
  );

  const clientOptions = (await pubsub.getClientConfig()) as ClientOptions;
  const publisher = new v1.PublisherClient(clientOptions);
  const subscriber = new v1.SubscriberClient(clientOptions);

  const drain = async (subscription: string, expect: number | undefined, timeoutMs: number): Promise<ReceivedCopy[]> => {
    const out: ReceivedCopy[] = [];
    const deadline = Date.now() + timeoutMs;
    let emptyPulls = 0;
    while (Date.now() < deadline) {
      if (expect !== undefined && out.length >= expect) break;
      let received: v1.protos.google.pubsub.v1.IReceivedMessage[] = [];
      try {
        const [res] = await subscriber.pull({ subscription, maxMessages: 1000 }, { timeout: 2000 });
        received = res.receivedMessages ?? [];
      } catch {
        received = [];
      }
      if (received.length === 0) {
        emptyPulls++;
        if (expect === undefined && emptyPulls >= 2) break;
        continue;
      }
      emptyPulls = 0;
      for (const r of received) {
        out.push({ messageId: r.message?.messageId ?? "", data: Buffer.from(r.message?.data ?? "").toString(), attributes: { ...(r.message?.attributes ?? {}) }, orderingKey: r.message?.orderingKey ?? "" });
      }
      await subscriber.acknowledge({ subscription, ackIds: received.map((r) => r.ackId ?? "") });
    }
    return out;
  };

  return {
    projectId,
    topic,
    dlqTopic,
    dlqSubscription,
    configFile,
    env: { PUBSUB_EMULATOR_HOST: emulatorHost, GOOGLE_CLOUD_PROJECT: projectId },
    async deadLetter(messages) {
      for (let i = 0; i < messages.length; i += 1000) {
        await publisher.publish({
          topic: dlq.name,
          messages: messages.slice(i, i + 1000).map((m) => ({ data: Buffer.from(m.data), attributes: m.attributes ?? {}, orderingKey: m.orderingKey ?? "" })),
        });
      }
    },
    drainTopic: (o = {}) => drain(watcher.name, o.expect, o.timeoutMs ?? 15_000),
    drainDlq: () => drain(`projects/${projectId}/subscriptions/${dlqSubscription}`, undefined, 15_000),
    async close() {
      await Promise.allSettled([publisher.close(), subscriber.close(), pubsub.close()]);
    },
  };
}

/** n dead letters as Pub/Sub forwards them: the source subscription and attempt count as attributes. */
export function deadLetters(n: number, projectId: string, extra: (i: number) => Partial<DeadLetter> = () => ({})): DeadLetter[] {
  return Array.from({ length: n }, (_, i) => {
    const more = extra(i);
    return {
      data: `payload-${i}`,
      ...more,
      attributes: {
        seq: String(i),
        CloudPubSubDeadLetterSourceSubscription: `projects/${projectId}/subscriptions/orders-worker`,
        CloudPubSubDeadLetterSourceDeliveryCount: "5",
        ...more.attributes,
      },
    };
  });
}
