/**
 * Counts and samples a dead-letter subscription without consuming it: pulls until the queue is
 * empty (or the count limit), holding what it saw so it is not counted twice, then releases every
 * message (ack deadline 0). Nothing is acknowledged.
 */
import type { DlqMessage, DlqTransport } from "./dlq-transport.js";

export interface PeekedMessage {
  messageId: string;
  attributes: Record<string, string>;
  /** attempts on the source subscription before it was dead-lettered */
  deliveryAttempt?: number;
  sourceSubscription?: string;
  publishTime?: string;
  size: number;
  orderingKey?: string;
  data?: string;
}

export interface QueuePeek {
  backlog: number;
  /** true when counting stopped at the limit: the backlog is at least `backlog` */
  atLeast: boolean;
  oldestPublishTime?: string;
  oldestAgeSeconds?: number;
  sample: PeekedMessage[];
}

/** Pub/Sub adds these when it forwards a message to a dead-letter topic. */
const SOURCE_DELIVERY_COUNT = "CloudPubSubDeadLetterSourceDeliveryCount";
const SOURCE_SUBSCRIPTION = "CloudPubSubDeadLetterSourceSubscription";
const HOLD_SECONDS = 120;
const DATA_PREVIEW_BYTES = 1024;

function preview(data: Buffer): string {
  const text = data.subarray(0, DATA_PREVIEW_BYTES).toString("utf8");
  const printable = !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text);
  const body = printable ? text : `base64:${data.subarray(0, DATA_PREVIEW_BYTES).toString("base64")}`;
  return data.length > DATA_PREVIEW_BYTES ? `${body}… (${data.length} B)` : body;
}

export function describeMessage(m: DlqMessage, showData: boolean): PeekedMessage {
  const fromAttr = Number(m.attributes[SOURCE_DELIVERY_COUNT]);
  const deliveryAttempt = Number.isFinite(fromAttr) && fromAttr > 0 ? fromAttr : m.deliveryAttempt > 0 ? m.deliveryAttempt : undefined;
  return {
    messageId: m.messageId,
    attributes: m.attributes,
    ...(deliveryAttempt !== undefined ? { deliveryAttempt } : {}),
    ...(m.attributes[SOURCE_SUBSCRIPTION] ? { sourceSubscription: m.attributes[SOURCE_SUBSCRIPTION] } : {}),
    ...(m.publishTime !== undefined ? { publishTime: new Date(m.publishTime).toISOString() } : {}),
    size: m.data.length,
    ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}),
    ...(showData ? { data: preview(m.data) } : {}),
  };
}

export async function peekQueue(transport: DlqTransport, subscription: string, options: { sample: number; countLimit: number; showData: boolean; pullTimeoutMs: number; signal: AbortSignal; now?: number }): Promise<QueuePeek> {
  const seen = new Map<string, string>();
  let oldest: number | undefined;
  const sample: PeekedMessage[] = [];
  let emptyPulls = 0;
  try {
    while (seen.size < options.countLimit && !options.signal.aborted) {
      const messages = await transport.pull(subscription, Math.min(1000, options.countLimit - seen.size), options.pullTimeoutMs);
      if (messages.length === 0) {
        // an empty answer is not proof of an empty queue: ask twice
        if (++emptyPulls >= 2) break;
        continue;
      }
      emptyPulls = 0;
      const fresh = messages.filter((m) => !seen.has(m.messageId));
      for (const m of messages) seen.set(m.messageId, m.ackId);
      await transport.modAck(subscription, messages.map((m) => m.ackId), HOLD_SECONDS);
      if (fresh.length === 0) break;
      for (const m of fresh) {
        if (m.publishTime !== undefined && (oldest === undefined || m.publishTime < oldest)) oldest = m.publishTime;
        if (sample.length < options.sample) sample.push(describeMessage(m, options.showData));
      }
    }
  } finally {
    if (seen.size > 0) await transport.modAck(subscription, [...seen.values()], 0).catch(() => {});
  }
  const now = options.now ?? Date.now();
  return {
    backlog: seen.size,
    atLeast: seen.size >= options.countLimit,
    ...(oldest !== undefined ? { oldestPublishTime: new Date(oldest).toISOString(), oldestAgeSeconds: Math.max(0, Math.round((now - oldest) / 1000)) } : {}),
    sample,
  };
}
