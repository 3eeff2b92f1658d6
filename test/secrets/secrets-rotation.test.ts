/**
 * End to end: the built opsctl against the fake Secret Manager (official client, REST fallback), a
 * Graph API stand-in (meta-token exchange and the http: verifier), a password-protected
 * redis-server (--verify redis) and the Firestore emulator (audit_logs).
 * Every stdout/stderr is kept and searched at the end for every secret value the tests used.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Firestore } from "@google-cloud/firestore";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GraphApiFake } from "../fakes/graph-api/graph-api-fake.js";
import { SecretManagerFake } from "../fakes/secret-manager/secret-manager-fake.js";
import { type OpsctlRun, runOpsctl } from "../harness/run-opsctl.js";
import { type RunningServer, startRedis } from "../harness/servers.js";
import { APP_ID, writeSecretsEnvironment } from "./secrets-env.js";

const servers = inject("servers");
process.env.FIRESTORE_EMULATOR_HOST = servers.firestoreHost;
const DAY = 86_400_000;
const APP_SECRET = "app-secret-5f1c9a7e2b";
const OLD_TOKEN = "EAAGoldtoken0123456789abcdefghijklmnopqrstu";
const REDIS_OLD = "redis-old-pass-7c1d";
const REDIS_NEW = "redis-new-pass-91ab";

const sm = new SecretManagerFake();
const graph = new GraphApiFake(APP_ID, APP_SECRET);
let redis: RunningServer & { url: string };
let configFile: string;
const outputs: string[] = [];
/** every value the tests put into or read out of Secret Manager */
const usedValues = new Set<string>([APP_SECRET, OLD_TOKEN, REDIS_OLD, REDIS_NEW]);

let projectSeq = 0;
const projects: string[] = [];
function newProject(): string {
  projectSeq += 1;
  const id = `sec-e2e-${process.pid}-${projectSeq}`;
  projects.push(id);
  return id;
}

async function opsctl(project: string, args: string[], input?: string): Promise<OpsctlRun> {
  const run = await runOpsctl(["--config", configFile, "--project", project, ...args], {
    input,
    env: {
      OPSCTL_SECRETMANAGER_ENDPOINT: sm.url,
      FIRESTORE_EMULATOR_HOST: servers.firestoreHost,
      OPSCTL_RETRY_INITIAL_MS: "5",
      OPSCTL_RETRY_TOTAL_MS: "5000",
      OPSCTL_ACTOR: "e2e@test",
      GOOGLE_CLOUD_PROJECT: undefined,
    },
  });
  outputs.push(run.stdout, run.stderr);
  return run;
}

function seedBase(project: string, tokenAgeDays = 10): void {
  sm.seedSecret(project, "WHATSAPP_APP_SECRET", { versions: [{ value: APP_SECRET }] });
  sm.seedSecret(project, "WHATSAPP_ACCESS_TOKEN", { versions: [{ value: OLD_TOKEN, createTime: new Date(Date.now() - tokenAgeDays * DAY) }] });
}

function storedValue(project: string, id: string, n: number): string | undefined {
  const v = sm.version(project, id, n)?.value;
  if (v) usedValues.add(v);
  return v;
}

async function auditRecords(project: string, secret: string): Promise<Record<string, unknown>[]> {
  const db = new Firestore({ projectId: project });
  try {
    const snap = await db.collection("audit_logs").where("secret", "==", secret).get();
    return snap.docs.map((d) => d.data()).sort((a, b) => (a.at as { toMillis(): number }).toMillis() - (b.at as { toMillis(): number }).toMillis());
  } finally {
  }
}

beforeAll(async () => {
  await sm.start();
  await graph.start();
  graph.validTokens.add(OLD_TOKEN);
  redis = await startRedis({ password: REDIS_NEW });
  configFile = writeSecretsEnvironment({ graphUrl: graph.url });
});

afterAll(async () => {
  await sm.stop();
  await graph.stop();
  await redis?.stop();
});

/** The structured log lines of one event (stderr under --log-format json). */
function jsonEvents(stderr: string, event: string): Record<string, unknown>[] {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => e.event === event);
}

describe("opsctl secrets (built CLI, fake Secret Manager, Firestore emulator)", () => {
  it("GIVEN a token older than its rotation period plus the alert grace WHEN the scheduled list runs with --log-format json THEN it logs secret.rotation.overdue for the alert", async () => {
    const project = newProject();
    seedBase(project, 60);
    for (const id of ["WHATSAPP_VERIFY_TOKEN", "REDIS_PASSWORD", "RSA_PRIVATE_KEY", "OLD_KEYS"]) sm.seedSecret(project, id, { versions: [{ value: `${id.toLowerCase()}-seed-value` }] });
    for (const id of ["WHATSAPP_VERIFY_TOKEN", "REDIS_PASSWORD", "RSA_PRIVATE_KEY", "OLD_KEYS"]) usedValues.add(`${id.toLowerCase()}-seed-value`);
    const listed = await opsctl(project, ["secrets", "list", "--log-format", "json", "--json"]);
    expect(listed.code).toBe(1);
    const events = jsonEvents(listed.stderr, "secret.rotation.overdue");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ component: "opsctl", severity: "WARNING", secret: "WHATSAPP_ACCESS_TOKEN", rotationDays: 55, graceDays: 3, ageDays: 60 });
  });

  it("GIVEN a token older than its rotation period WHEN listing THEN exit 1 names the overdue secret; AFTER a meta-token rotation verified over http THEN list exits 0", async () => {
    const project = newProject();
    seedBase(project, 56);
    for (const id of ["WHATSAPP_VERIFY_TOKEN", "REDIS_PASSWORD", "RSA_PRIVATE_KEY", "OLD_KEYS"]) sm.seedSecret(project, id, { versions: [{ value: `${id.toLowerCase()}-seed-value` }] });
    for (const id of ["WHATSAPP_VERIFY_TOKEN", "REDIS_PASSWORD", "RSA_PRIVATE_KEY", "OLD_KEYS"]) usedValues.add(`${id.toLowerCase()}-seed-value`);

    const before = await opsctl(project, ["secrets", "list", "--json"]);
    expect(before.code).toBe(1);
    const listed = (before.json?.result as { secrets: { secret: string; overdue: boolean; consumers: { name: string }[] }[] } | undefined)?.secrets ?? [];
    const token = listed.find((s) => s.secret === "WHATSAPP_ACCESS_TOKEN");
    expect(token?.overdue).toBe(true);
    expect(token?.consumers.map((c) => c.name).sort()).toEqual(["token-refresh", "worker"]);

    const rotated = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "WHATSAPP_ACCESS_TOKEN", "--verify", `http:${graph.url}/v24.0/me`, "--yes", "--json", "--log-format", "json"]);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(jsonEvents(rotated.stderr, "secret.rotation.completed")).toEqual([expect.objectContaining({ secret: "WHATSAPP_ACCESS_TOKEN", version: "2", previousVersion: "1" })]);
    const result = rotated.json?.result as { outcome: string; version: number; fromVersion: number; steps: { step: string; outcome: string }[]; consumers: { name: string; action: string }[] };
    expect(result.outcome).toBe("rotated");
    expect(result).toMatchObject({ version: 2, fromVersion: 1 });
    expect(result.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual(["create:ok", "set:skipped", "test:ok", "finish:ok"]);
    expect(result.consumers.map((c) => `${c.name}:${c.action}`).sort()).toEqual(["token-refresh:none", "worker:new-revision"]);
    // the exchange went to the configured base URL with the default version
    expect(graph.requests.some((r) => r.path === "/oauth/access_token" && r.version === "v24.0")).toBe(true);
    const newToken = storedValue(project, "WHATSAPP_ACCESS_TOKEN", 2);
    expect(newToken).toBe(graph.issued.at(-1));
    const secret = sm.secret(project, "WHATSAPP_ACCESS_TOKEN");
    expect(secret?.versionAliases).toEqual({ current: 2, previous: 1 });
    expect(Date.parse(secret?.annotations["opsctl.previous-disable-after"] ?? "")).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(secret?.annotations["opsctl.rotation-step"]).toBeUndefined();
    expect(sm.version(project, "WHATSAPP_ACCESS_TOKEN", 1)?.state).toBe("ENABLED"); // grace: still enabled

    const audit = await auditRecords(project, "WHATSAPP_ACCESS_TOKEN");
    expect(audit.map((a) => `${a.step}:${a.outcome}:${a.version}`)).toEqual(["create:ok:2", "set:skipped:2", "test:ok:2", "finish:ok:2"]);
    expect(audit.every((a) => a.actor === "e2e@test" && a.environment === "sectest")).toBe(true);

    const after = await opsctl(project, ["secrets", "list", "--json"]);
    expect(after.code, after.stdout).toBe(0);
  });

  it("GIVEN a generated value the verifier refuses WHEN rotating THEN exit 1, the new version is disabled and consumers still read the old value", async () => {
    const project = newProject();
    seedBase(project);
    const seed = "verify-token-seed-0001";
    usedValues.add(seed);
    sm.seedSecret(project, "WHATSAPP_VERIFY_TOKEN", { versions: [{ value: seed }] });
    const run = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "WHATSAPP_VERIFY_TOKEN", "--generate", "hex:32", "--verify", `http:${graph.url}/v24.0/me`, "--yes", "--json", "--log-format", "json"]);
    expect(run.code, run.stderr).toBe(1);
    // the "Secret rotation failed" alert counts this event
    expect(jsonEvents(run.stderr, "secret.rotation.failed")).toEqual([expect.objectContaining({ secret: "WHATSAPP_VERIFY_TOKEN", step: "test", severity: "ERROR" })]);
    storedValue(project, "WHATSAPP_VERIFY_TOKEN", 2);
    expect(sm.version(project, "WHATSAPP_VERIFY_TOKEN", 2)?.state).toBe("DISABLED");
    expect(sm.version(project, "WHATSAPP_VERIFY_TOKEN", 1)?.state).toBe("ENABLED");
    // latest (v3) carries the old value again, so consumers on latest are untouched
    expect(storedValue(project, "WHATSAPP_VERIFY_TOKEN", 3)).toBe(seed);
    expect(sm.secret(project, "WHATSAPP_VERIFY_TOKEN")?.versionAliases).toEqual({ current: 3 });
    expect(sm.secret(project, "WHATSAPP_VERIFY_TOKEN")?.annotations["opsctl.rotation-step"]).toBeUndefined();
    const audit = await auditRecords(project, "WHATSAPP_VERIFY_TOKEN");
    expect(audit.map((a) => `${a.step}:${a.outcome}`)).toEqual(["create:ok", "set:skipped", "test:failed", "abort:ok", "restore-latest:ok"]);
  });

  it("GIVEN the new Redis password on stdin WHEN rotating with --verify redis THEN AUTH succeeds and it finishes; a wrong password exits 1", async () => {
    const project = newProject();
    seedBase(project);
    sm.seedSecret(project, "REDIS_PASSWORD", { versions: [{ value: REDIS_OLD }] });
    const wrong = "redis-wrong-pass-0000";
    usedValues.add(wrong);
    const bad = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "REDIS_PASSWORD", "--from-stdin", "--redis-url", redis.url, "--yes"], wrong);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toContain("failed its test");
    const good = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "REDIS_PASSWORD", "--from-stdin", "--redis-url", redis.url, "--yes", "--json"], `${REDIS_NEW}\n`);
    expect(good.code, good.stderr).toBe(0);
    const r = good.json?.result as { version: number; steps: { step: string; outcome: string; detail: string }[] };
    expect(r.steps.find((s) => s.step === "test")).toMatchObject({ outcome: "ok" });
    expect(storedValue(project, "REDIS_PASSWORD", r.version)).toBe(REDIS_NEW); // trailing newline stripped
  });

  it("GIVEN a crash right after create WHEN the same command runs again THEN it resumes with the created version and makes no second one", async () => {
    const project = newProject();
    seedBase(project);
    sm.seedSecret(project, "REDIS_PASSWORD", { versions: [{ value: REDIS_OLD }] });
    sm.failNth("PATCH", 2); // 1: step=creating, (addVersion), 2: step=created → crash
    const crashed = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "REDIS_PASSWORD", "--from-stdin", "--redis-url", redis.url, "--yes"], REDIS_NEW);
    expect(crashed.code).toBe(3);
    expect(sm.secret(project, "REDIS_PASSWORD")?.versions).toHaveLength(2);
    expect(sm.secret(project, "REDIS_PASSWORD")?.annotations["opsctl.rotation-step"]).toBe("creating");
    const listed = await opsctl(project, ["secrets", "list", "--json"]);
    expect(listed.code).toBe(1); // a pending rotation is a problem
    const resumed = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "REDIS_PASSWORD", "--from-stdin", "--redis-url", redis.url, "--yes", "--json"], REDIS_NEW);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json?.result).toMatchObject({ resumed: true, version: 2, fromVersion: 1 });
    expect(sm.secret(project, "REDIS_PASSWORD")?.versions).toHaveLength(2);
    expect(sm.secret(project, "REDIS_PASSWORD")?.versionAliases).toEqual({ current: 2, previous: 1 });
  });

  it("GIVEN a crash after the test step WHEN the same command runs again THEN it finishes without creating or exchanging again", async () => {
    const project = newProject();
    seedBase(project);
    sm.failNth("PATCH", 5); // creating, created, set, tested, finish → crash at finish
    const crashed = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "WHATSAPP_ACCESS_TOKEN", "--verify", `http:${graph.url}/v24.0/me`, "--yes"]);
    expect(crashed.code).toBe(3);
    expect(sm.secret(project, "WHATSAPP_ACCESS_TOKEN")?.annotations["opsctl.rotation-step"]).toBe("tested");
    const exchanges = graph.issued.length;
    const resumed = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "WHATSAPP_ACCESS_TOKEN", "--verify", `http:${graph.url}/v24.0/me`, "--yes", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json?.result).toMatchObject({ resumed: true, version: 2, outcome: "rotated" });
    expect(graph.issued.length).toBe(exchanges);
    expect((resumed.json?.result as { steps: { step: string }[] } | undefined)?.steps.map((s) => s.step)).toEqual(["create", "finish"]);
    storedValue(project, "WHATSAPP_ACCESS_TOKEN", 2);
  });

  it("GIVEN Ctrl-C during the test step WHEN the same rotation runs again THEN it exits 130 first, then resumes at the test step", async () => {
    const project = newProject();
    seedBase(project);
    const interrupted = await runOpsctl(["--config", configFile, "--project", project, "secrets", "rotate", "--no-roll-consumers", "WHATSAPP_ACCESS_TOKEN", "--verify", `http:${graph.url}/v24.0/slow-me`, "--yes"], {
      env: { OPSCTL_SECRETMANAGER_ENDPOINT: sm.url, FIRESTORE_EMULATOR_HOST: servers.firestoreHost, OPSCTL_ACTOR: "e2e@test", GOOGLE_CLOUD_PROJECT: undefined },
      onSpawn: (child) => {
        let seen = "";
        let sent = false;
        child.stderr?.on("data", (c: Buffer) => {
          seen += c.toString();
          if (!sent && seen.includes("secret.set")) {
            sent = true; // once: a second Ctrl-C forces the exit
            child.kill("SIGINT");
          }
        });
      },
    });
    outputs.push(interrupted.stdout, interrupted.stderr);
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(sm.secret(project, "WHATSAPP_ACCESS_TOKEN")?.annotations["opsctl.rotation-step"], interrupted.stderr).toBe("set");
    const exchanges = graph.issued.length;
    const resumed = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "WHATSAPP_ACCESS_TOKEN", "--verify", `http:${graph.url}/v24.0/me`, "--yes", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json?.result).toMatchObject({ resumed: true, version: 2 });
    expect((resumed.json?.result as { steps: { step: string }[] } | undefined)?.steps.map((s) => s.step)).toEqual(["create", "test", "finish"]);
    expect(graph.issued.length).toBe(exchanges);
    storedValue(project, "WHATSAPP_ACCESS_TOKEN", 2);
  });

  it("GIVEN a rotated secret WHEN rolling back THEN the previous value is current again (also for latest) and the bad version is disabled", async () => {
    const project = newProject();
    seedBase(project);
    const r = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "WHATSAPP_ACCESS_TOKEN", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    storedValue(project, "WHATSAPP_ACCESS_TOKEN", 2);
    const back = await opsctl(project, ["secrets", "rollback", "--no-roll-consumers", "WHATSAPP_ACCESS_TOKEN", "--yes", "--json"]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.json?.result).toMatchObject({ from: 2, to: 1, latestVersion: 3 });
    expect(sm.version(project, "WHATSAPP_ACCESS_TOKEN", 2)?.state).toBe("DISABLED");
    expect(storedValue(project, "WHATSAPP_ACCESS_TOKEN", 3)).toBe(OLD_TOKEN);
    expect(sm.secret(project, "WHATSAPP_ACCESS_TOKEN")?.versionAliases).toEqual({ current: 3 });
    const audit = await auditRecords(project, "WHATSAPP_ACCESS_TOKEN");
    expect(audit.map((a) => a.step)).toContain("rollback");
  });

  it("GIVEN versions of different ages WHEN pruning THEN replaced versions past grace are disabled and those beyond retention are scheduled for destruction (version_destroy_ttl)", async () => {
    const project = newProject();
    seedBase(project);
    const ago = (d: number) => new Date(Date.now() - d * DAY);
    const values = Array.from({ length: 6 }, (_, i) => `old-key-value-${i + 1}-xyz`);
    for (const v of values) usedValues.add(v);
    sm.seedSecret(project, "OLD_KEYS", {
      versionDestroyTtlSeconds: 7 * 86_400,
      versions: [
        { value: values[0] as string, createTime: ago(40), state: "DISABLED" },
        { value: values[1] as string, createTime: ago(30), state: "DISABLED" },
        { value: values[2] as string, createTime: ago(20), state: "DISABLED" },
        { value: values[3] as string, createTime: ago(10), state: "ENABLED" }, // replaced 5 days ago → disable
        { value: values[4] as string, createTime: ago(5), state: "ENABLED" }, // previous, grace not over
        { value: values[5] as string, createTime: ago(0.01), state: "ENABLED" }, // current
      ],
      versionAliases: { current: 6, previous: 5 },
      annotations: { "opsctl.previous-disable-after": new Date(Date.now() + 20 * 3_600_000).toISOString() },
    });
    const dry = await opsctl(project, ["secrets", "prune", "OLD_KEYS", "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    expect(sm.version(project, "OLD_KEYS", 4)?.state).toBe("ENABLED");
    const run = await opsctl(project, ["secrets", "prune", "OLD_KEYS", "--yes", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const actions = (run.json?.result as { actions: { version: number; action: string; scheduledDestroy?: string }[] } | undefined)?.actions ?? [];
    expect(actions.map((a) => `${a.action}:${a.version}`)).toEqual(["disable:4", "destroy:2", "destroy:1"]);
    expect(sm.version(project, "OLD_KEYS", 4)?.state).toBe("DISABLED");
    expect(sm.version(project, "OLD_KEYS", 5)?.state).toBe("ENABLED");
    for (const n of [1, 2]) {
      const v = sm.version(project, "OLD_KEYS", n);
      expect(v?.state).toBe("DISABLED"); // scheduled, not yet destroyed: still recoverable
      expect(Math.abs((v?.scheduledDestroyTime?.getTime() ?? 0) - (Date.now() + 7 * DAY))).toBeLessThan(3_600_000);
    }
    expect(sm.version(project, "OLD_KEYS", 3)?.scheduledDestroyTime).toBeUndefined();
    // past the scheduled time the fake destroys them
    const realNow = sm.now;
    sm.now = () => new Date(Date.now() + 8 * DAY);
    expect(sm.version(project, "OLD_KEYS", 1)?.state).toBe("DESTROYED");
    sm.now = realNow;
  });

  it("GIVEN a value on the command line WHEN rotating THEN it is refused (exit 2) and never echoed", async () => {
    const project = newProject();
    seedBase(project);
    const leaked = "argv-leaked-value-4242";
    usedValues.add(leaked);
    const run = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "WHATSAPP_VERIFY_TOKEN", "--value", leaked, "--yes"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("refusing a secret value on the command line");
    expect(sm.calls.filter((c) => c.path.includes(project))).toHaveLength(0);
    const positional = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "WHATSAPP_VERIFY_TOKEN", leaked, "--yes"]);
    expect(positional.code).toBe(2);
    expect(positional.stderr).toContain("refusing a secret value on the command line");
  });

  it("GIVEN --verify cloudrun for a secret no service reads WHEN rotating THEN a usage error, before anything changes", async () => {
    const project = newProject();
    seedBase(project);
    sm.seedSecret(project, "OLD_KEYS", { versions: [{ value: "old-keys-seed-0001" }] });
    usedValues.add("old-keys-seed-0001");
    const run = await opsctl(project, ["secrets", "rotate", "OLD_KEYS", "--verify", "cloudrun", "--yes", "--json"]);
    expect(run.code).toBe(2);
    expect(run.json?.error?.message).toContain("no Cloud Run service of this environment reads the secret");
    expect(sm.secret(project, "OLD_KEYS")?.versions).toHaveLength(1);
  });

  it("GIVEN a SECRET_ROTATE notification WHEN rotating from it THEN that secret is rotated with its configured provider; --dry-run changes nothing", async () => {
    const project = newProject();
    seedBase(project);
    const seed = "verify-token-seed-0002";
    usedValues.add(seed);
    sm.seedSecret(project, "WHATSAPP_VERIFY_TOKEN", { versions: [{ value: seed }] });
    const file = join(tmpdir(), `notif-${process.pid}-${projectSeq}.json`);
    writeFileSync(file, JSON.stringify({ message: { attributes: { eventType: "SECRET_ROTATE", secretId: `projects/${project}/secrets/WHATSAPP_VERIFY_TOKEN` }, data: "" }, subscription: "s" }));
    const mutatingBefore = sm.mutatingCalls().length;
    const dry = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "--from-notification", file, "--dry-run", "--json"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(sm.mutatingCalls().length).toBe(mutatingBefore);
    const run = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "--from-notification", file, "--yes", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json?.result).toMatchObject({ secret: "WHATSAPP_VERIFY_TOKEN", version: 2, valueSource: "provider hex:32" });
    expect(storedValue(project, "WHATSAPP_VERIFY_TOKEN", 2)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("GIVEN an rsa provider WHEN rotating THEN the private key is stored, the public key is printed, the private key is not", async () => {
    const project = newProject();
    seedBase(project);
    sm.seedSecret(project, "RSA_PRIVATE_KEY", { versions: [{ value: "placeholder-private-key-0" }] });
    usedValues.add("placeholder-private-key-0");
    const run = await opsctl(project, ["secrets", "rotate", "--no-roll-consumers", "RSA_PRIVATE_KEY", "--yes", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect((run.json?.result as { publicKey?: string } | undefined)?.publicKey).toContain("BEGIN PUBLIC KEY");
    const pem = storedValue(project, "RSA_PRIVATE_KEY", 2) ?? "";
    expect(pem).toContain("BEGIN PRIVATE KEY");
    // the base64 body of the key, line by line: no line of it may appear in any output
    for (const line of pem.split("\n").filter((l) => l.length > 40)) usedValues.add(line);
  });

  it("GIVEN every run above WHEN searching all captured output and every audit record THEN no secret value appears", async () => {
    expect(outputs.length).toBeGreaterThan(20);
    const auditDocs: string[] = [];
    for (const project of projects) {
      const projectDb = new Firestore({ projectId: project });
      const snap = await projectDb.collection("audit_logs").get();
      auditDocs.push(...snap.docs.map((d) => JSON.stringify(d.data())));
      await projectDb.terminate();
    }
    expect(auditDocs.length).toBeGreaterThan(20);
    const all = [...outputs, ...auditDocs].join("\n");
    for (const value of usedValues) {
      const at = all.indexOf(value);
      // the context around a leak, with the value itself masked, says which output leaked it
      const context = at < 0 ? "" : all.slice(Math.max(0, at - 200), at + value.length + 50).split(value).join("<VALUE>");
      expect(context, "a secret value leaked into output").toBe("");
    }
  });
});
