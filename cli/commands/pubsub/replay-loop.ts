/**
 * The replay engine: pull from the dead-letter subscription, republish to the original topic, and
 * acknowledge only what the publish confirmed. A crash at any point leaves every message either
 * still in the DLQ or already on the topic (possibly both: at-least-once, never lost).
 *
 * Messages that are not replayed (filtered out, or all of them under --dry-run) are *held*: their
 * ack deadline is pushed out so the next pulls do not see them again, and they are released (ack
 * deadline 0) when the run ends. If the process dies, Pub/Sub redelivers them after the deadline.
 */
import type { DlqMessage, DlqTransport, OutgoingMessage } from "./dlq-transport.js";
import { type AttributeFilter, matchesFilters } from "./message-filter.js";
import type { Pacer } from "./rate-limit.js";

export const REPLAYED_AT_ATTRIBUTE = "opsctl-replayed-at";
/** the maximum ack deadline Pub/Sub accepts */
const HOLD_SECONDS = 600;
/** publish requests are limited to 10 MB; stay well below */
const MAX_REQUEST_BYTES = 7_000_000;

export interface ReplayOptions {
  dlqSubscription: string;
  topic: string;
  filters: AttributeFilter[];
  max?: number;
  pacer?: Pacer;
  batch: number;
  concurrency: number;
  pullTimeoutMs: number;
  dryRun: boolean;
  signal: AbortSignal;
  now?: () => Date;
  onProgress?: (stats: ReplayStats) => void;
}

export interface ReplaySample {
  messageId: string;
  attributes: Record<string, string>;
  size: number;
  orderingKey?: string;
}

export interface ReplayStats {
  /** republished and acknowledged (or, under --dry-run, that would be) */
  replayed: number;
  /** left in the queue because they did not match --filter */
  skipped: number;
  pulled: number;
  publishRequests: number;
  /** ms from the first pull to the last acknowledgement */
  activeMs: number;
  samples: ReplaySample[];
}

/** A publish or acknowledgement failed; `stats` says what was already replayed safely. */
export class ReplayStoppedError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly stats: ReplayStats,
  ) {
    super(`replay stopped after ${stats.replayed} messages: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "ReplayStoppedError";
  }
}

export function replayAttributes(attributes: Record<string, string>, at: Date): Record<string, string> {
  return { ...attributes, [REPLAYED_AT_ATTRIBUTE]: at.toISOString() };
}

function publishBatches(messages: DlqMessage[]): DlqMessage[][] {
  const out: DlqMessage[][] = [];
  let current: DlqMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = m.data.length + Object.entries(m.attributes).reduce((n, [k, v]) => n + k.length + v.length, 0) + 64;
    if (current.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export async function replayDeadLetters(transport: DlqTransport, options: ReplayOptions): Promise<ReplayStats> {
  const now = options.now ?? (() => new Date());
  const stats: ReplayStats = { replayed: 0, skipped: 0, pulled: 0, publishRequests: 0, activeMs: 0, samples: [] };
  const held = new Map<string, string>(); // messageId → ackId
  let reserved = 0; // messages claimed by loops in flight against --max
  let failure: unknown;
  let started: number | undefined;
  let lastAck = 0;
  const pendingAcks = new Set<Promise<void>>();

  const budget = (): number => {
    if (options.max === undefined) return options.batch;
    return Math.max(0, Math.min(options.batch, options.max - stats.replayed - reserved));
  };

  const loop = async (): Promise<void> => {
    let emptyPulls = 0;
    while (!options.signal.aborted && failure === undefined) {
      const want = budget();
      if (want === 0) return;
      reserved += want;
      let replayedHere = 0;
      try {
        // Pace before pulling, not after: a pulled message waiting for its turn would outlive its
        // ack deadline and be redelivered (a duplicate).
        if (options.pacer && !options.dryRun) await options.pacer.take(want, options.signal);
        if (options.signal.aborted) return;
        started ??= Date.now();
        const messages = await transport.pull(options.dlqSubscription, want, options.pullTimeoutMs);
        // Pub/Sub may answer a pull with nothing while a backlog exists: a loop stops only after
        // two empty pulls in a row.
        if (messages.length === 0) {
          if (++emptyPulls >= 2) return;
          continue;
        }
        emptyPulls = 0;
        stats.pulled += messages.length;
        const fresh = messages.filter((m) => !held.has(m.messageId));
        const toHold: DlqMessage[] = [];
        const toReplay: DlqMessage[] = [];
        for (const m of fresh) {
          if (!matchesFilters(m.attributes, options.filters)) {
            toHold.push(m);
            stats.skipped++;
          } else if (options.dryRun) {
            toHold.push(m);
            toReplay.push(m);
          } else toReplay.push(m);
        }
        // A message seen again (its hold lapsed) is held again under its new ack id.
        for (const m of messages.filter((x) => held.has(x.messageId))) toHold.push(m);
        if (toHold.length > 0) {
          for (const m of toHold) held.set(m.messageId, m.ackId);
          await transport.modAck(options.dlqSubscription, toHold.map((m) => m.ackId), HOLD_SECONDS);
        }
        if (fresh.length === 0) return; // only messages already held: nothing new is left
        for (const m of toReplay) {
          if (stats.samples.length < 5) stats.samples.push({ messageId: m.messageId, attributes: m.attributes, size: m.data.length, ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}) });
        }
        if (options.dryRun) {
          replayedHere = toReplay.length;
          continue;
        }
        const batches = publishBatches(toReplay);
        for (const [index, batch] of batches.entries()) {
          const at = now();
          const outgoing: OutgoingMessage[] = batch.map((m) => ({ data: m.data, attributes: replayAttributes(m.attributes, at), orderingKey: m.orderingKey || undefined }));
          try {
            stats.publishRequests++;
            await transport.publish(options.topic, outgoing);
          } catch (err) {
            // Not confirmed: hand this batch and the ones after it back to the queue at once, then
            // stop every loop.
            const unpublished = batches.slice(index).flat();
            await transport.modAck(options.dlqSubscription, unpublished.map((m) => m.ackId), 0).catch(() => {});
            throw err;
          }
          // Confirmed: only now may the dead-letter copy go. The acknowledgement is not awaited
          // before the next pull (one round trip less per batch); every one is awaited before the
          // run ends. A lost ack means a duplicate on the topic later, never a lost message.
          const acked = transport.ack(options.dlqSubscription, batch.map((m) => m.ackId)).then(
            () => {
              lastAck = Date.now();
            },
            (err: unknown) => {
              failure ??= err;
            },
          );
          pendingAcks.add(acked);
          void acked.finally(() => pendingAcks.delete(acked));
          replayedHere += batch.length;
          stats.replayed += batch.length;
          options.onProgress?.(stats);
        }
      } catch (err) {
        failure ??= err;
        return;
      } finally {
        reserved -= want;
        if (options.dryRun) {
          stats.replayed += replayedHere;
          options.onProgress?.(stats);
        }
      }
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, () => loop()));
  await Promise.all([...pendingAcks]);
  stats.activeMs = started === undefined ? 0 : Math.max(0, (lastAck || Date.now()) - started);
  // Release what was held so consumers of the DLQ (and the next run) see it again right away.
  if (held.size > 0) await transport.modAck(options.dlqSubscription, [...held.values()], 0).catch(() => {});
  if (failure !== undefined) throw new ReplayStoppedError(failure, stats);
  return stats;
}
