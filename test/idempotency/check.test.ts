/**
 * `opsctl idempotency check` end to end: the built CLI against the harness redis-server, a real
 * 3-master Redis Cluster and the Firestore / Pub/Sub emulators.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PubSub } from "@google-cloud/pubsub";
import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../harness/free-port.js";
import { runOpsctl } from "../harness/run-opsctl.js";
import { startRedis, startRedisCluster } from "../harness/servers.js";
import { firestore, PROJECT, policyFlags, seedBulk, seedEveryFinding } from "./dataset.js";

const servers = inject("servers");
const db = firestore(servers.firestoreHost);
const env = { FIRESTORE_EMULATOR_HOST: servers.firestoreHost, PUBSUB_EMULATOR_HOST: servers.pubsubHost, GOOGLE_CLOUD_PROJECT: undefined, CLOUD_RUN_TASK_INDEX: undefined, CLOUD_RUN_TASK_COUNT: undefined, REDIS_PASSWORD: undefined };
let redis: Redis;
let n = 0;
const unique = (what: string) => `${what}${Date.now().toString(36)}${n++}`;

interface Result {
  scanned: number;
  documentsChecked: number;
  windowDocuments: number;
  findings: Record<string, number>;
  repaired: Record<string, number>;
  repairSkipped: Record<string, number>;
  remaining: number;
  samples: Record<string, string[]>;
  republished: number;
  redis: { mode: string; nodes: string[] };
}
const resultOf = (run: { json?: { result?: unknown } }) => run.json?.result as Result;
const events = (stderr: string, name: string) =>
  stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { event?: string; key?: string; finding?: string })
    .filter((e) => e.event === name);

beforeAll(() => {
  redis = new Redis(servers.redisUrl);
});
afterAll(async () => {
  redis.disconnect();
  await db.terminate();
});

const base = (url: string, prefix: string, collection: string) => ["idempotency", "check", "--redis-url", url, "--project", PROJECT, "--prefix", prefix, "--collection", collection, "--id-template", "{key}", ...policyFlags, "--json", "--log-format", "json"];

describe("idempotency check on a seeded dataset", () => {
  it("finds exactly the planted findings, repairs them, and a second check is clean", async () => {
    const prefix = `${unique("idem")}:`;
    const collection = unique("messages");
    const planted = await seedEveryFinding(redis, db, prefix, collection);

    // GIVEN every finding type planted WHEN the audit runs THEN exactly those are reported, exit 1
    const audit = await runOpsctl(base(servers.redisUrl, prefix, collection), { env });
    expect(audit.code, audit.stderr).toBe(1);
    const r = resultOf(audit);
    expect(r.findings).toEqual({ orphanKey: 3, stuckInProgress: 2, noTtl: 2, ttlOutOfPolicy: 2, docWithoutKey: 2 });
    expect(r.scanned).toBe(31);
    expect(r.repaired).toEqual({ orphanKey: 0, stuckInProgress: 0, noTtl: 0, ttlOutOfPolicy: 0, docWithoutKey: 0 });
    for (const type of ["orphanKey", "stuckInProgress", "noTtl", "ttlOutOfPolicy", "docWithoutKey"] as const) {
      expect(new Set(r.samples[type])).toEqual(new Set(planted[type].map((k) => prefix + k)));
    }
    // one structured log line per finding, for log-based metrics
    expect(events(audit.stderr, "idempotency.inconsistent.detected")).toHaveLength(11);
    // read-only: nothing changed
    expect(await redis.exists(`${prefix}orphan-0`)).toBe(1);
    expect(await redis.ttl(`${prefix}nottl-0`)).toBe(-1);

    // WHEN --repair runs (with a reprocess topic) THEN every finding is repaired, exit 0
    const pubsub = new PubSub({ projectId: PROJECT, apiEndpoint: servers.pubsubHost });
    const [topic] = await pubsub.createTopic(unique("reprocess"));
    const [sub] = await topic.createSubscription(unique("reprocess-sub"));
    const repair = await runOpsctl([...base(servers.redisUrl, prefix, collection), "--repair", "--yes", "--republish-topic", topic.name.split("/").pop() ?? ""], { env });
    expect(repair.code, repair.stderr).toBe(0);
    expect(resultOf(repair).repaired).toEqual({ orphanKey: 3, stuckInProgress: 2, noTtl: 2, ttlOutOfPolicy: 2, docWithoutKey: 2 });
    expect(events(repair.stderr, "idempotency.recovery.success")).toHaveLength(11);
    expect(await redis.exists(`${prefix}orphan-0`, `${prefix}stuck-0`)).toBe(0);
    expect(await redis.ttl(`${prefix}nottl-0`)).toBeGreaterThan(7000);
    expect(await redis.ttl(`${prefix}longttl-0`)).toBeLessThanOrEqual(7200);
    expect(await redis.pttl(`${prefix}nokey-0`)).toBeGreaterThan(0);
    expect(await redis.get(`${prefix}clean-0`)).toContain("COMPLETED");
    expect(resultOf(repair).republished).toBe(3);
    const received = new Set<string>();
    sub.on("message", (m: { data: Buffer; ack(): void }) => {
      received.add((JSON.parse(m.data.toString()) as { key: string }).key);
      m.ack();
    });
    for (let i = 0; i < 200 && received.size < 3; i++) await new Promise((r) => setTimeout(r, 50));
    await sub.close();
    await pubsub.close();
    expect(received).toEqual(new Set(planted.orphanKey));

    // THEN a second check finds nothing
    const again = await runOpsctl(base(servers.redisUrl, prefix, collection), { env });
    expect(again.code, again.stderr).toBe(0);
    expect(resultOf(again).remaining).toBe(0);
    expect(Object.values(resultOf(again).findings).every((v) => v === 0)).toBe(true);
  });

  it("matches by field with plain values, from flags alone (the issue's third example)", async () => {
    const prefix = `${unique("wamid")}:`;
    const collection = unique("messages");
    const { Timestamp } = await import("@google-cloud/firestore");
    const now = Date.now();
    for (let i = 0; i < 40; i++) {
      await redis.set(`${prefix}m${i}`, "1", "EX", 3000);
      if (i % 10 !== 0) await db.collection(collection).add({ metadata: { platformMessageId: `m${i}` }, createdAt: Timestamp.fromMillis(now - 600_000) });
    }
    await db.collection(collection).add({ metadata: { platformMessageId: "lost" }, createdAt: Timestamp.fromMillis(now - 600_000) });
    const run = await runOpsctl(["idempotency", "check", "--redis-url", servers.redisUrl, "--project", PROJECT, "--prefix", prefix, "--collection", collection, "--field", "metadata.platformMessageId", "--ttl-policy", "7200", "--window", "3600", "--json"], { env });
    expect(run.code, run.stderr).toBe(1);
    const r = resultOf(run);
    expect(r.scanned).toBe(40);
    expect(r.findings.orphanKey).toBe(4);
    expect(new Set(r.samples.orphanKey)).toEqual(new Set([0, 10, 20, 30].map((i) => `${prefix}m${i}`)));
    expect(r.findings.docWithoutKey).toBe(1);
    expect(r.samples.docWithoutKey).toEqual([`${prefix}lost`]);
    // the same run for humans: a table of findings and what to do next
    const human = await runOpsctl(["idempotency", "check", "--redis-url", servers.redisUrl, "--project", PROJECT, "--prefix", prefix, "--collection", collection, "--field", "metadata.platformMessageId", "--ttl-policy", "7200", "--window", "3600"], { env });
    expect(human.code, human.stderr).toBe(1);
    expect(human.stdout).toMatch(/^orphanKey\s+4\s+-\s/m);
    expect(human.stdout).toMatch(/^docWithoutKey\s+1\s+-\s/m);
    expect(human.stdout).toContain("re-run with --repair");
  });
});

describe("idempotency check repairs never clobber a live writer", () => {
  it("compare-and-delete and the TTL repair leave a key alone once its value changed", async () => {
    const { compareAndDelete, setPolicyTtl, CommandCounter } = await import("../../cli/commands/idempotency/redis-ops.js");
    const counter = new CommandCounter();
    const key = `${unique("race")}:k`;
    await redis.set(key, '{"status":"IN_PROGRESS","ts":1}');
    const read = await redis.get(key);
    // a webhook completes the key between the audit's read and its repair
    await redis.set(key, '{"status":"COMPLETED","ts":2}');
    expect(await compareAndDelete(redis, key, read ?? "", counter)).toBe(false);
    expect(await setPolicyTtl(redis, key, read ?? "", 1000, "noTtl", counter)).toBe(false);
    expect(await redis.get(key)).toBe('{"status":"COMPLETED","ts":2}');
    expect(await redis.ttl(key)).toBe(-1);
    // and with the value unchanged the repair goes through
    expect(await setPolicyTtl(redis, key, '{"status":"COMPLETED","ts":2}', 100_000, "noTtl", counter)).toBe(true);
    expect(await compareAndDelete(redis, key, '{"status":"COMPLETED","ts":2}', counter)).toBe(true);
    expect(await redis.exists(key)).toBe(0);
  });
});

describe("idempotency check at scale: interruptions, restarts, shards", () => {
  const prefix = `${unique("bulk")}:`;
  const collection = unique("messages");
  const bulkFlags = (url: string) => ["idempotency", "check", "--redis-url", url, "--project", PROJECT, "--prefix", prefix, "--collection", collection, "--id-template", "{key}", "--ttl-policy", "7200", "--window", "3600", "--scan-count", "100", "--json", "--log-format", "json"];
  const COUNTS = { clean: 3000, orphans: 30, docsWithoutKey: 15 };

  beforeAll(async () => {
    await seedBulk(redis, db, prefix, collection, COUNTS);
  }, 120_000);

  it("SIGINT writes a checkpoint and exits 130; --resume ends with the totals of an uninterrupted run", async () => {
    const whole = await runOpsctl(bulkFlags(servers.redisUrl), { env });
    expect(whole.code, whole.stderr).toBe(1);
    expect(resultOf(whole).scanned).toBe(3030);
    expect(resultOf(whole).findings.orphanKey).toBe(30);
    expect(resultOf(whole).findings.docWithoutKey).toBe(15);

    const file = join(mkdtempSync(join(tmpdir(), "opsctl-idem-")), "check.json");
    const interrupted = await runOpsctl([...bulkFlags(servers.redisUrl), "--max-rate", "800", "--checkpoint", file], {
      env,
      onSpawn: (child) => {
        child.stderr?.on("data", function once(chunk: Buffer) {
          if (chunk.toString().includes("auditing")) {
            child.stderr?.off("data", once);
            setTimeout(() => child.kill("SIGINT"), 1_200);
          }
        });
      },
    });
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(existsSync(file)).toBe(true);
    const saved = JSON.parse(readFileSync(file, "utf8")) as { tally: { scanned: number } };
    expect(saved.tally.scanned).toBeGreaterThan(0);
    expect(saved.tally.scanned).toBeLessThan(3030);

    const resumed = await runOpsctl([...bulkFlags(servers.redisUrl), "--resume", file], { env });
    expect(resumed.code, resumed.stderr).toBe(1);
    const a = resultOf(whole);
    const b = resultOf(resumed);
    expect({ scanned: b.scanned, documentsChecked: b.documentsChecked, windowDocuments: b.windowDocuments, findings: b.findings }).toEqual({
      scanned: a.scanned,
      documentsChecked: a.documentsChecked,
      windowDocuments: a.windowDocuments,
      findings: a.findings,
    });
  });

  it("shards 0..N-1 together cover every key exactly once", async () => {
    const runs = await Promise.all([0, 1, 2].map((i) => runOpsctl([...bulkFlags(servers.redisUrl), "--shard", `${i}/3`], { env })));
    const scanned = runs.map((r) => resultOf(r).scanned);
    expect(scanned.reduce((x, y) => x + y, 0)).toBe(3030);
    expect(scanned.every((s) => s > 0 && s < 3030)).toBe(true);
    const keys = runs.flatMap((r) => events(r.stderr, "idempotency.inconsistent.detected").map((e) => e.key ?? ""));
    expect(keys).toHaveLength(45);
    expect(new Set(keys).size).toBe(45);
    // CLOUD_RUN_TASK_INDEX / COUNT select the shard when --shard is absent
    const task = await runOpsctl(bulkFlags(servers.redisUrl), { env: { ...env, CLOUD_RUN_TASK_INDEX: "1", CLOUD_RUN_TASK_COUNT: "3" } });
    expect(resultOf(task).scanned).toBe(scanned[1]);
  });

  it("continues from the last cursor when Redis is restarted mid-scan", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsctl-idem-redis-"));
    let own = await startRedis({ args: ["--dir", dir] });
    const port = own.port;
    const client = new Redis(own.url);
    // copy the bulk dataset into our own server (DUMP/RESTORE keeps values and TTLs)
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      for (const key of keys) await client.set(key, (await redis.get(key)) ?? "1", "PX", Math.max(await redis.pttl(key), 1000));
      cursor = next;
    } while (cursor !== "0");
    client.disconnect();
    let restarted = false;
    let restart: Promise<void> = Promise.resolve();
    const run = await runOpsctl([...bulkFlags(own.url), "--max-rate", "1000"], {
      env,
      timeoutMs: 90_000,
      onSpawn: (child) => {
        child.stderr?.on("data", function once(chunk: Buffer) {
          if (!chunk.toString().includes("auditing")) return;
          child.stderr?.off("data", once);
          setTimeout(() => {
            restart = (async () => {
              const admin = new Redis(own.url, { retryStrategy: () => null });
              admin.on("error", () => {});
              await admin.call("SHUTDOWN", "SAVE").catch(() => undefined);
              await own.stop();
              await new Promise((r) => setTimeout(r, 500));
              own = await startRedis({ port, args: ["--dir", dir] });
              restarted = true;
            })();
          }, 1_000);
        });
      },
    });
    await restart;
    await own.stop();
    expect(restarted).toBe(true);
    expect(run.code, run.stderr).toBe(1);
    expect(events(run.stderr, "idempotency.redis_restarted").length).toBeGreaterThan(0);
    expect(resultOf(run).scanned).toBe(3030);
    expect(resultOf(run).findings.orphanKey).toBe(30);
    expect(resultOf(run).findings.docWithoutKey).toBe(15);
  }, 120_000);
});

describe("idempotency check when the connection drops", () => {
  it("reconnects and continues from the last cursor when Redis kills its connections mid-scan", async () => {
    const prefix = `${unique("drop")}:`;
    const collection = unique("messages");
    await seedBulk(redis, db, prefix, collection, { clean: 1500, orphans: 12, docsWithoutKey: 0 });
    const run = await runOpsctl(["idempotency", "check", "--redis-url", servers.redisUrl, "--project", PROJECT, "--prefix", prefix, "--collection", collection, "--id-template", "{key}", "--ttl-policy", "7200", "--window", "3600", "--scan-count", "100", "--max-rate", "1000", "--json", "--log-format", "json"], {
      env,
      onSpawn: (child) => {
        child.stderr?.on("data", function once(chunk: Buffer) {
          if (!chunk.toString().includes("auditing")) return;
          child.stderr?.off("data", once);
          setTimeout(() => void redis.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"), 700);
        });
      },
    });
    expect(run.code, run.stderr).toBe(1);
    expect(events(run.stderr, "idempotency.redis_reconnected").length).toBeGreaterThan(0);
    expect(events(run.stderr, "idempotency.redis_restarted")).toHaveLength(0);
    expect(resultOf(run).scanned).toBe(1512);
    expect(resultOf(run).findings.orphanKey).toBe(12);
  });
});

describe("idempotency check over TLS with a password", () => {
  it("connects with rediss:// and --redis-ca, takes the password from REDIS_PASSWORD and never prints it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsctl-idem-tls-"));
    const ssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    ssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=opsctl-test-ca"]);
    ssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
    writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
    ssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "san.ext"]);
    const password = "tls-test-password-5f3a";
    const port = await freePort();
    const server = await startRedis({ port, password, args: ["--port", "0", "--tls-port", String(port), "--tls-cert-file", join(dir, "server.pem"), "--tls-key-file", join(dir, "server.key"), "--tls-ca-cert-file", join(dir, "ca.pem"), "--tls-auth-clients", "no"] });
    try {
      const client = new Redis({ host: "127.0.0.1", port, password, tls: { ca: readFileSync(join(dir, "ca.pem")) } });
      const prefix = `${unique("tls")}:`;
      const collection = unique("messages");
      await seedEveryFinding(client, db, prefix, collection);
      client.disconnect();
      const url = `rediss://127.0.0.1:${port}`;
      const noPassword = await runOpsctl([...base(url, prefix, collection), "--redis-ca", join(dir, "ca.pem")], { env });
      expect(noPassword.code, noPassword.stderr).toBe(3);
      expect(noPassword.json?.error?.message).toMatch(/NOAUTH|Authentication/i);
      const run = await runOpsctl([...base(url, prefix, collection), "--redis-ca", join(dir, "ca.pem")], { env: { ...env, REDIS_PASSWORD: password } });
      expect(run.code, run.stderr).toBe(1);
      expect(resultOf(run).findings).toEqual({ orphanKey: 3, stuckInProgress: 2, noTtl: 2, ttlOutOfPolicy: 2, docWithoutKey: 2 });
      expect(run.stdout + run.stderr).not.toContain(password);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe("idempotency check on a Redis Cluster", () => {
  it("scans every master, finds the planted findings and repairs them", async () => {
    const cluster = await startRedisCluster(3);
    try {
      const client = new Cluster(cluster.seeds);
      const prefix = `${unique("cl")}:`;
      const collection = unique("messages");
      await seedEveryFinding(client, db, prefix, collection);
      const url = `redis://${cluster.seeds[0]?.host}:${cluster.seeds[0]?.port}`;
      const audit = await runOpsctl(base(url, prefix, collection), { env });
      expect(audit.code, audit.stderr).toBe(1);
      expect(resultOf(audit).redis.mode).toBe("cluster");
      expect(resultOf(audit).redis.nodes).toHaveLength(3);
      expect(resultOf(audit).scanned).toBe(31);
      expect(resultOf(audit).findings).toEqual({ orphanKey: 3, stuckInProgress: 2, noTtl: 2, ttlOutOfPolicy: 2, docWithoutKey: 2 });
      const repair = await runOpsctl([...base(url, prefix, collection), "--repair", "--yes"], { env });
      expect(repair.code, repair.stderr).toBe(0);
      const again = await runOpsctl(base(url, prefix, collection), { env });
      expect(again.code, again.stderr).toBe(0);
      client.disconnect();
    } finally {
      await cluster.stop();
    }
  });
});

describe("idempotency check refuses bad input with a clear error", () => {
  const args = (...extra: string[]) => ["idempotency", "check", "--project", PROJECT, "--json", ...extra];
  it.each([
    ["an unknown flag", ["--redis-url", "redis://127.0.0.1:1", "--prefix", "p:", "--collection", "c", "--id-template", "{key}", "--bogus"], 2, /unknown option/],
    ["a URL that is not one", ["--redis-url", "not a url", "--prefix", "p:", "--collection", "c", "--id-template", "{key}"], 2, /not a URL/],
    ["a URL of another scheme", ["--redis-url", "http://127.0.0.1:6379", "--prefix", "p:", "--collection", "c", "--id-template", "{key}"], 2, /not a Redis URL/],
    ["a password in the URL", ["--redis-url", "redis://:hunter22@127.0.0.1:6379", "--prefix", "p:", "--collection", "c", "--id-template", "{key}"], 2, /must not contain a password/],
    ["a missing collection", ["--redis-url", "redis://127.0.0.1:6379", "--prefix", "p:", "--id-template", "{key}"], 2, /missing collection/],
    ["a bad shard", ["--redis-url", "redis://127.0.0.1:6379", "--prefix", "p:", "--collection", "c", "--id-template", "{key}", "--shard", "3/3"], 2, /shard/],
  ])("%s → exit %s", async (_what, extra, code, message) => {
    const run = await runOpsctl(args(...extra), { env });
    expect(run.code, run.stderr).toBe(code);
    expect(run.json?.error?.message).toMatch(message);
    expect(run.stdout + run.stderr).not.toContain("hunter22");
  });

  it("a prefix that matches nothing → exit 2 naming the prefix", async () => {
    const run = await runOpsctl(args("--redis-url", servers.redisUrl, "--prefix", `${unique("nothing")}:`, "--collection", unique("c"), "--id-template", "{key}"), { env });
    expect(run.code, run.stderr).toBe(2);
    expect(run.json?.error?.message).toMatch(/matched no key/);
    expect(run.json?.error?.hint).toMatch(/--allow-empty/);
  });

  it("an unreachable Redis → exit 3 with the runbook", async () => {
    const run = await runOpsctl(args("--redis-url", "redis://127.0.0.1:1", "--prefix", "p:", "--collection", "c", "--id-template", "{key}"), { env });
    expect(run.code, run.stderr).toBe(3);
    expect(run.json?.error?.runbook).toBe("runbooks/idempotency-inconsistency.md");
  });

  it("--repair --dry-run plans the repairs and changes nothing", async () => {
    const prefix = `${unique("plan")}:`;
    await redis.set(`${prefix}x`, "1");
    const run = await runOpsctl(args("--redis-url", servers.redisUrl, "--prefix", prefix, "--collection", unique("c"), "--id-template", "{key}", "--repair", "--dry-run"), { env });
    expect(run.code, run.stderr).toBe(1);
    expect(resultOf(run)).toMatchObject({ repair: "planned", findings: { orphanKey: 1 }, repaired: { orphanKey: 0 }, remaining: 1 });
    expect(await redis.get(`${prefix}x`)).toBe("1");
  });

  it("--repair without --yes and without a terminal → exit 4, nothing changed", async () => {
    const prefix = `${unique("refuse")}:`;
    await redis.set(`${prefix}x`, "1");
    const run = await runOpsctl(args("--redis-url", servers.redisUrl, "--prefix", prefix, "--collection", unique("c"), "--id-template", "{key}", "--repair"), { env });
    expect(run.code, run.stderr).toBe(4);
    expect(await redis.ttl(`${prefix}x`)).toBe(-1);
  });
});
