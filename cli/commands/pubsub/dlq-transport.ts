/**
 * The four Pub/Sub calls dead-letter work needs, over the raw gapic clients: unary pull (with a
 * deadline: an empty pull otherwise blocks for about a minute), acknowledge, modifyAckDeadline and
 * publish (whose response carries the message ids: the publish is confirmed).
 */
import { pubsubGapicClients } from "../../core/google-clients.js";
import { errorStatus } from "../../core/errors.js";

export interface DlqMessage {
  ackId: string;
  messageId: string;
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey: string;
  /** ms since epoch */
  publishTime: number | undefined;
  deliveryAttempt: number;
}

export interface OutgoingMessage {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey?: string;
}

export interface DlqTransport {
  pull(subscription: string, max: number, timeoutMs: number): Promise<DlqMessage[]>;
  ack(subscription: string, ackIds: string[]): Promise<void>;
  /** 0 releases the messages for immediate redelivery (nack) */
  modAck(subscription: string, ackIds: string[], seconds: number): Promise<void>;
  /** resolves with the message ids once the service has stored every message */
  publish(topic: string, messages: OutgoingMessage[]): Promise<string[]>;
  subscriptionExists(subscription: string): Promise<boolean>;
  close(): Promise<void>;
}

const DEADLINE_EXCEEDED = 4;
const NOT_FOUND = 5;
/** acknowledge / modifyAckDeadline take at most this many ack ids per request */
const ACK_CHUNK = 1000;

function toMillis(ts: { seconds?: unknown; nanos?: unknown } | null | undefined): number | undefined {
  if (!ts) return undefined;
  const seconds = Number(ts.seconds ?? 0);
  const nanos = Number(ts.nanos ?? 0);
  return seconds * 1000 + Math.floor(nanos / 1e6);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function gapicTransport(projectId: string): Promise<DlqTransport & { projectId: string }> {
  const { pubsub, subscriber, publisher } = await pubsubGapicClients(projectId);
  const subPath = (name: string) => (name.startsWith("projects/") ? name : `projects/${projectId}/subscriptions/${name}`);
  const topicPath = (name: string) => (name.startsWith("projects/") ? name : `projects/${projectId}/topics/${name}`);
  return {
    projectId,
    async pull(subscription, max, timeoutMs) {
      try {
        const [response] = await subscriber.pull({ subscription: subPath(subscription), maxMessages: max }, { timeout: timeoutMs });
        return (response.receivedMessages ?? []).map((r) => ({
          ackId: r.ackId ?? "",
          messageId: r.message?.messageId ?? "",
          data: Buffer.from(r.message?.data ?? ""),
          attributes: { ...(r.message?.attributes ?? {}) },
          orderingKey: r.message?.orderingKey ?? "",
          publishTime: toMillis(r.message?.publishTime as { seconds?: unknown; nanos?: unknown } | undefined),
          deliveryAttempt: r.deliveryAttempt ?? 0,
        }));
      } catch (err) {
        if (errorStatus(err).code === DEADLINE_EXCEEDED) return [];
        throw err;
      }
    },
    async ack(subscription, ackIds) {
      for (const part of chunks(ackIds, ACK_CHUNK)) await subscriber.acknowledge({ subscription: subPath(subscription), ackIds: part });
    },
    async modAck(subscription, ackIds, seconds) {
      for (const part of chunks(ackIds, ACK_CHUNK)) await subscriber.modifyAckDeadline({ subscription: subPath(subscription), ackIds: part, ackDeadlineSeconds: seconds });
    },
    async publish(topic, messages) {
      const [response] = await publisher.publish({ topic: topicPath(topic), messages: messages.map((m) => ({ data: m.data, attributes: m.attributes, orderingKey: m.orderingKey ?? "" })) });
      const ids = response.messageIds ?? [];
      if (ids.length !== messages.length) throw new Error(`publish to ${topic} confirmed ${ids.length} of ${messages.length} messages`);
      return ids;
    },
    async subscriptionExists(subscription) {
      try {
        await subscriber.getSubscription({ subscription: subPath(subscription) });
        return true;
      } catch (err) {
        if (errorStatus(err).code === NOT_FOUND) return false;
        throw err;
      }
    },
    async close() {
      await Promise.allSettled([subscriber.close(), publisher.close(), pubsub.close()]);
    },
  };
}
