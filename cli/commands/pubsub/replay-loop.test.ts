/**
 * The acknowledgement discipline of the replay engine, with an in-memory stand-in for the Pub/Sub
 * service (the emulator tests in test/pubsub/ cover the real one): nothing is acknowledged unless its
 * publish was confirmed, and a failed publish hands its messages back at once.
 */
import { describe, expect, it } from "vitest";
import type { DlqMessage, DlqTransport, OutgoingMessage } from "./dlq-transport.js";
import { REPLAYED_AT_ATTRIBUTE, ReplayStoppedError, replayDeadLetters } from "./replay-loop.js";

class MemoryQueue implements DlqTransport {
  ready: DlqMessage[];
  leased = new Map<string, DlqMessage>();
  acked: string[] = [];
  published: OutgoingMessage[] = [];
  failPublishAfter = Number.POSITIVE_INFINITY;
  private nextAck = 0;

  constructor(n: number, attrs: (i: number) => Record<string, string> = () => ({})) {
    this.ready = Array.from({ length: n }, (_, i) => ({ ackId: "", messageId: `m${i}`, data: Buffer.from(`d${i}`), attributes: { seq: String(i), ...attrs(i) }, orderingKey: "", publishTime: 0, deliveryAttempt: 0 }));
  }
  async pull(_s: string, max: number): Promise<DlqMessage[]> {
    const out = this.ready.splice(0, max).map((m) => ({ ...m, ackId: `a${this.nextAck++}` }));
    for (const m of out) this.leased.set(m.ackId, m);
    return out;
  }
  async ack(_s: string, ackIds: string[]): Promise<void> {
    for (const id of ackIds) {
      const m = this.leased.get(id);
      if (m) this.acked.push(m.messageId);
      this.leased.delete(id);
    }
  }
  async modAck(_s: string, ackIds: string[], seconds: number): Promise<void> {
    if (seconds > 0) return;
    for (const id of ackIds) {
      const m = this.leased.get(id);
      if (m) this.ready.push(m);
      this.leased.delete(id);
    }
  }
  async publish(_t: string, messages: OutgoingMessage[]): Promise<string[]> {
    if (this.published.length + messages.length > this.failPublishAfter) throw new Error("UNAVAILABLE");
    this.published.push(...messages);
    return messages.map((_, i) => `p${this.published.length + i}`);
  }
  async subscriptionExists(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}
}

const base = { dlqSubscription: "dlq-sub", topic: "t", filters: [], batch: 10, concurrency: 3, pullTimeoutMs: 10, dryRun: false, signal: new AbortController().signal };

describe("replayDeadLetters", () => {
  it("GIVEN 35 messages THEN all are published with the replay attribute and then acknowledged", async () => {
    const q = new MemoryQueue(35);
    const stats = await replayDeadLetters(q, base);
    expect(stats.replayed).toBe(35);
    expect(q.published).toHaveLength(35);
    expect(q.published.every((m) => m.attributes[REPLAYED_AT_ATTRIBUTE] !== undefined)).toBe(true);
    expect(q.acked.sort()).toEqual(q.published.map((m) => `m${m.attributes.seq}`).sort());
    expect(q.ready).toHaveLength(0);
  });

  it("GIVEN a publish that fails THEN nothing unpublished is acknowledged and every message is either published or back in the queue", async () => {
    const q = new MemoryQueue(50);
    q.failPublishAfter = 20;
    const err = await replayDeadLetters(q, { ...base, concurrency: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayStoppedError);
    const published = new Set(q.published.map((m) => `m${m.attributes.seq}`));
    expect(q.acked.every((id) => published.has(id))).toBe(true);
    const accounted = new Set([...published, ...q.ready.map((m) => m.messageId)]);
    expect(accounted.size).toBe(50);
    expect(q.leased.size).toBe(0);
  });

  it("GIVEN --filter, --max and --dry-run THEN non-matching messages are released, max is exact, dry-run publishes nothing", async () => {
    const q = new MemoryQueue(40, (i) => ({ kind: i % 4 === 0 ? "x" : "y" }));
    const stats = await replayDeadLetters(q, { ...base, filters: [{ key: "kind", value: "x" }], max: 7 });
    expect(stats.replayed).toBe(7);
    expect(q.published.every((m) => m.attributes.kind === "x")).toBe(true);
    expect(q.ready).toHaveLength(33);
    expect(q.leased.size).toBe(0);

    const dry = new MemoryQueue(12);
    const dryStats = await replayDeadLetters(dry, { ...base, dryRun: true });
    expect(dryStats.replayed).toBe(12);
    expect(dry.published).toHaveLength(0);
    expect(dry.acked).toHaveLength(0);
    expect(dry.ready).toHaveLength(12);
  });
});
