import { afterEach, describe, expect, inject, it } from "vitest";
import { MonitoringFake } from "../fakes/monitoring/monitoring-fake.js";
import { runOpsctl } from "../harness/run-opsctl.js";
import { createDlqWorld, type DlqWorld, deadLetters } from "./dlq-world.js";

const servers = inject("servers");
const worlds: DlqWorld[] = [];

async function world(options?: Parameters<typeof createDlqWorld>[1]): Promise<DlqWorld> {
  const w = await createDlqWorld(servers.pubsubHost, options);
  worlds.push(w);
  return w;
}

afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.close()));
});

const seqs = (copies: { attributes: Record<string, string> }[]) => [...new Set(copies.map((c) => Number(c.attributes.seq)))].sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("opsctl pubsub dlq inspect (real Pub/Sub emulator)", () => {
  it("GIVEN 12 dead letters WHEN inspected THEN backlog, oldest age and a sample are reported, exit 1, and nothing is consumed", async () => {
    const w = await world();
    await w.deadLetter(deadLetters(12, w.projectId, (i) => ({ data: i === 0 ? "secret-ish payload" : `payload-${i}` })));
    const run = await runOpsctl(["pubsub", "dlq", "inspect", "--config", w.configFile, "--topic", w.topic, "--sample", "3", "--json"], { env: w.env });
    expect(run.code, run.stderr).toBe(1);
    const result = run.json?.result as { queues: { dlqSubscription: string; status: string; backlog: number; atLeast: boolean; oldestAgeSeconds: number; sample: { messageId: string; deliveryAttempt: number; size: number; data?: string; attributes: Record<string, string> }[] }[] };
    expect(result.queues).toHaveLength(1);
    const q = result.queues[0];
    expect(q?.dlqSubscription).toBe("orders-inbound-dlq-sub");
    expect(q?.status).toBe("messages");
    expect(q?.backlog).toBe(12);
    expect(q?.atLeast).toBe(false);
    expect(q?.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(q?.sample).toHaveLength(3);
    expect(q?.sample[0]?.deliveryAttempt).toBe(5);
    expect(q?.sample.every((m) => m.data === undefined)).toBe(true);
    expect(run.stdout).not.toContain("secret-ish payload");
    // inspect released everything: the queue still holds all 12
    expect(seqs(await w.drainDlq())).toEqual(range(12));
  });

  it("GIVEN a DLQ topic without a subscription WHEN every queue is inspected THEN it is flagged no-subscription and --show-data shows payloads", async () => {
    const w = await world();
    await w.deadLetter(deadLetters(1, w.projectId));
    const run = await runOpsctl(["pubsub", "dlq", "inspect", "--config", w.configFile, "--show-data"], { env: w.env });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/audit-events\s+audit-events-dlq-sub\s+no-subscription/);
    expect(run.stdout).toMatch(/orders-inbound\s+orders-inbound-dlq-sub\s+messages\s+1/);
    expect(run.stdout).toContain("data: payload-0");
    expect(run.stdout).toContain("without a subscription");
  });
});

describe("opsctl pubsub dlq inspect with Cloud Monitoring (fake Monitoring API + emulator for the sample)", () => {
  it("GIVEN metrics for the DLQ subscription WHEN inspected with --count-method monitoring THEN backlog and age come from the metrics and only the sample is pulled", async () => {
    const w = await world();
    await w.deadLetter(deadLetters(4, w.projectId));
    const monitoring = new MonitoringFake();
    await monitoring.start();
    try {
      monitoring.set("num_undelivered_messages", "orders-inbound-dlq-sub", 1234);
      monitoring.set("oldest_unacked_message_age", "orders-inbound-dlq-sub", 7200);
      const run = await runOpsctl(["pubsub", "dlq", "inspect", "--config", w.configFile, "--topic", w.topic, "--count-method", "monitoring", "--sample", "2", "--json"], { env: { ...w.env, OPSCTL_MONITORING_ENDPOINT: monitoring.url } });
      expect(run.code, run.stderr).toBe(1);
      const q = (run.json?.result as { queues: { backlog: number; oldestAgeSeconds: number; countedBy: string; sample: unknown[] }[] } | undefined)?.queues[0];
      expect(q).toMatchObject({ backlog: 1234, oldestAgeSeconds: 7200, countedBy: "monitoring" });
      expect(q?.sample).toHaveLength(2);
      expect(monitoring.calls.map((c) => c.path)).toEqual([`/v3/projects/${w.projectId}/timeSeries`, `/v3/projects/${w.projectId}/timeSeries`]);
      // the sample was released: all 4 are still in the DLQ
      expect(seqs(await w.drainDlq())).toEqual(range(4));
    } finally {
      await monitoring.stop();
    }
  });

  it("GIVEN no metric yet WHEN inspected THEN it warns and counts by pull", async () => {
    const w = await world();
    await w.deadLetter(deadLetters(3, w.projectId));
    const monitoring = new MonitoringFake();
    await monitoring.start();
    try {
      const run = await runOpsctl(["pubsub", "dlq", "inspect", "--config", w.configFile, "--topic", w.topic, "--count-method", "monitoring", "--json"], { env: { ...w.env, OPSCTL_MONITORING_ENDPOINT: monitoring.url } });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain("no Cloud Monitoring data");
      expect((run.json?.result as { queues: { backlog: number; countedBy: string }[] } | undefined)?.queues[0]).toMatchObject({ backlog: 3, countedBy: "pull" });
    } finally {
      await monitoring.stop();
    }
  });
});

describe("opsctl pubsub dlq replay (real Pub/Sub emulator)", () => {
  it("GIVEN dead letters WHEN replayed THEN each lands on the original topic with data, attributes and ordering key intact plus opsctl-replayed-at, and the DLQ is empty", async () => {
    const w = await world();
    await w.deadLetter(deadLetters(50, w.projectId, (i) => (i % 10 === 0 ? { orderingKey: `conv-${i}` } : {})));
    const run = await runOpsctl(["pubsub", "dlq", "replay", "--config", w.configFile, "--topic", w.topic, "--yes", "--json"], { env: w.env });
    expect(run.code, run.stderr).toBe(0);
    expect((run.json?.result as { replayed: number } | undefined)?.replayed).toBe(50);
    const copies = await w.drainTopic({ expect: 50 });
    expect(seqs(copies)).toEqual(range(50));
    for (const c of copies) {
      const seq = Number(c.attributes.seq);
      expect(c.data).toBe(`payload-${seq}`);
      expect(c.attributes.CloudPubSubDeadLetterSourceSubscription).toBe(`projects/${w.projectId}/subscriptions/orders-worker`);
      expect(c.attributes.CloudPubSubDeadLetterSourceDeliveryCount).toBe("5");
      expect(Number.isNaN(Date.parse(c.attributes["opsctl-replayed-at"] ?? ""))).toBe(false);
      expect(c.orderingKey).toBe(seq % 10 === 0 ? `conv-${seq}` : "");
    }
    expect(await w.drainDlq()).toHaveLength(0);
  });

  it("GIVEN --filter and --max WHEN replayed THEN only matching messages move, at most max, and the rest stay in the DLQ", async () => {
    const w = await world();
    await w.deadLetter(deadLetters(20, w.projectId, (i) => ({ attributes: { kind: i % 2 === 0 ? "text" : "image" } })));
    const run = await runOpsctl(["pubsub", "dlq", "replay", "--config", w.configFile, "--topic", w.topic, "--filter", "kind=text", "--max", "4", "--yes", "--json"], { env: w.env });
    expect(run.code, run.stderr).toBe(0);
    expect((run.json?.result as { replayed: number } | undefined)?.replayed).toBe(4);
    const copies = await w.drainTopic();
    expect(copies).toHaveLength(4);
    expect(copies.every((c) => c.attributes.kind === "text")).toBe(true);
    const left = await w.drainDlq();
    expect(left).toHaveLength(16);
    expect(left.filter((c) => c.attributes.kind === "image")).toHaveLength(10);
  });

  it("GIVEN --dry-run WHEN replayed THEN it reports what would move and moves nothing", async () => {
    const w = await world();
    await w.deadLetter(deadLetters(15, w.projectId));
    const run = await runOpsctl(["pubsub", "dlq", "replay", "--config", w.configFile, "--topic", w.topic, "--dry-run"], { env: w.env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("dry run: 15 message(s) would be replayed");
    expect(await w.drainTopic()).toHaveLength(0);
    expect(seqs(await w.drainDlq())).toEqual(range(15));
  });

  it("GIVEN no terminal and no --yes WHEN replay runs THEN it refuses (exit 4) and nothing moves", async () => {
    const w = await world();
    await w.deadLetter(deadLetters(3, w.projectId));
    const run = await runOpsctl(["pubsub", "dlq", "replay", "--config", w.configFile, "--topic", w.topic], { env: w.env });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("--yes");
    expect(await w.drainTopic()).toHaveLength(0);
    expect(await w.drainDlq()).toHaveLength(3);
  });

  it("GIVEN a DLQ subscription that does not exist WHEN replay runs THEN exit 2 names it and the --dlq-subscription flag", async () => {
    const w = await world({ withDlqSubscription: false });
    const run = await runOpsctl(["pubsub", "dlq", "replay", "--config", w.configFile, "--topic", w.topic, "--yes", "--json"], { env: w.env });
    expect(run.code).toBe(2);
    expect(run.json?.error?.code).toBe("dlq_subscription_missing");
    expect(run.json?.error?.hint).toContain("--dlq-subscription");
    expect(run.json?.error?.runbook).toBe("runbooks/dlq-growing.md");
  });

  it("GIVEN Ctrl-C (SIGINT) mid-replay THEN exit 130 and every message is either on the topic or back in the DLQ, exactly once", async () => {
    const w = await world();
    const n = 400;
    await w.deadLetter(deadLetters(n, w.projectId));
    let child: import("node:child_process").ChildProcess | undefined;
    const running = runOpsctl(["pubsub", "dlq", "replay", "--config", w.configFile, "--topic", w.topic, "--rate", "100/s", "--yes"], { env: w.env, onSpawn: (c) => (child = c) });
    const onTopic = [...(await w.drainTopic({ expect: 30, timeoutMs: 20_000 }))];
    child?.kill("SIGINT");
    const stopped = await running;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain("still in orders-inbound-dlq-sub");
    onTopic.push(...(await w.drainTopic({ timeoutMs: 3_000 })));
    const inDlq = await w.drainDlq();
    expect(onTopic.length).toBeGreaterThanOrEqual(30);
    expect(inDlq.length).toBeGreaterThan(0);
    expect(onTopic.length + inDlq.length).toBe(n);
    expect(seqs([...onTopic, ...inDlq])).toEqual(range(n));
  });

  it("GIVEN a replay killed with SIGKILL mid-way WHEN it is run again THEN every message reaches the topic (at-least-once, nothing lost)", async () => {
    const w = await world({ ackDeadlineSeconds: 10 });
    const n = 600;
    await w.deadLetter(deadLetters(n, w.projectId));
    let child: import("node:child_process").ChildProcess | undefined;
    const first = runOpsctl(["pubsub", "dlq", "replay", "--config", w.configFile, "--topic", w.topic, "--rate", "100/s", "--yes"], { env: w.env, onSpawn: (c) => (child = c) });
    const seen: { attributes: Record<string, string> }[] = [];
    while (seen.length < 50) seen.push(...(await w.drainTopic({ expect: 50, timeoutMs: 20_000 })));
    child?.kill("SIGKILL");
    const killed = await first;
    expect(killed.signal).toBe("SIGKILL");
    seen.push(...(await w.drainTopic({ timeoutMs: 3_000 })));
    expect(seqs(seen).length).toBeLessThan(n);
    // messages pulled by the killed run come back after their ack deadline (10 s)
    await new Promise((r) => setTimeout(r, 11_000));
    const second = await runOpsctl(["pubsub", "dlq", "replay", "--config", w.configFile, "--topic", w.topic, "--yes", "--json"], { env: w.env });
    expect(second.code, second.stderr).toBe(0);
    seen.push(...(await w.drainTopic()));
    expect(seqs(seen)).toEqual(range(n));
    expect(await w.drainDlq()).toHaveLength(0);
  }, 90_000);
});
