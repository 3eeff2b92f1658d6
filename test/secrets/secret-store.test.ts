/**
 * SecretStore (the official client, REST fallback) against the fake: transient faults are retried,
 * a concurrent metadata write is re-read and re-applied, aliases resolve; and the Meta exchange
 * against the Graph API stand-in, including an expired token.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { OpsError } from "../../cli/core/errors.js";
import { exchangeMetaToken } from "../../cli/secrets/meta-token.js";
import { SecretStore } from "../../cli/secrets/secret-store.js";
import { redisVerifier } from "../../cli/secrets/verifiers.js";
import { GraphApiFake } from "../fakes/graph-api/graph-api-fake.js";
import { SecretManagerFake } from "../fakes/secret-manager/secret-manager-fake.js";
import { freePort } from "../harness/free-port.js";
import { type RunningServer, startRedis } from "../harness/servers.js";

const sm = new SecretManagerFake();
let store: SecretStore;
const ENV = { OPSCTL_RETRY_INITIAL_MS: "5", OPSCTL_RETRY_TOTAL_MS: "5000" };

beforeAll(async () => {
  await sm.start();
  Object.assign(process.env, ENV);
  store = await SecretStore.open("store-test", { OPSCTL_SECRETMANAGER_ENDPOINT: sm.url });
});

afterAll(async () => {
  await store.close();
  await sm.stop();
});

describe("SecretStore against the fake Secret Manager", () => {
  it("GIVEN 429, 503 and 409 ABORTED on the next calls WHEN adding and reading a version THEN the client retries and succeeds", async () => {
    sm.seedSecret("store-test", "A", { versions: [{ value: "first-value-aaa" }] });
    sm.injectFault(429, 1, /addVersion/);
    sm.injectFault(503, 1, /addVersion/);
    sm.injectFault(409, 1, /:access/);
    const added = await store.addVersion("A", "second-value-bbb");
    expect(added.number).toBe(2);
    expect(await store.access("A", "latest")).toBe("second-value-bbb");
    expect(sm.calls.filter((c) => c.path.endsWith(":addVersion"))).toHaveLength(3);
  });

  it("GIVEN a writer that changes the secret between read and write WHEN updating aliases THEN the stale etag is refused and the update is re-applied on fresh data", async () => {
    sm.seedSecret("store-test", "B", { versions: [{ value: "b1-value-xyz" }, { value: "b2-value-xyz" }], annotations: { team: "bots" } });
    let first = true;
    const updated = await store.updateMetadata("B", (s) => {
      if (first) {
        first = false;
        // someone else writes in between: the etag we read is now stale
        const fake = sm.secret("store-test", "B");
        if (fake) {
          fake.annotations = { ...fake.annotations, other: "writer" };
          fake.etagSeq += 1;
        }
      }
      return { aliases: { ...s.aliases, current: 2 }, annotations: { ...s.annotations, mine: "yes" } };
    });
    expect(updated.aliases).toEqual({ current: 2 });
    expect(sm.secret("store-test", "B")?.annotations).toEqual({ team: "bots", other: "writer", mine: "yes" });
    expect(await store.access("B", "current")).toBe("b2-value-xyz");
  });

  it("GIVEN a disabled newest version WHEN reading latest THEN it fails (latest does not skip disabled versions)", async () => {
    sm.seedSecret("store-test", "C", { versions: [{ value: "c1-value-xyz" }, { value: "c2-value-xyz", state: "DISABLED" }] });
    await expect(store.access("C", "latest")).rejects.toThrow(/DISABLED/);
    expect(await store.access("C", 1)).toBe("c1-value-xyz");
  });

  it("GIVEN version_destroy_ttl WHEN destroying THEN the version is disabled with a scheduled time, and enabling it cancels the destruction", async () => {
    sm.seedSecret("store-test", "D", { versionDestroyTtlSeconds: 86_400, versions: [{ value: "d1-value-xyz" }, { value: "d2-value-xyz" }] });
    await store.setState("D", 1, "destroy");
    let v1 = (await store.listVersions("D")).find((v) => v.number === 1);
    expect(v1?.state).toBe("DISABLED");
    expect(v1?.scheduledDestroyTime?.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    await store.setState("D", 1, "enable");
    v1 = (await store.listVersions("D")).find((v) => v.number === 1);
    expect(v1?.state).toBe("ENABLED");
    expect(v1?.scheduledDestroyTime).toBeUndefined();
  });
});

describe("Meta token exchange against the Graph API stand-in", () => {
  const graph = new GraphApiFake("111222333", "app-secret-zzz999");
  beforeAll(() => graph.start());
  afterAll(() => graph.stop());

  it("GIVEN a valid long-lived token THEN a new one comes back from the configured version", async () => {
    graph.validTokens.add("EAAGcurrenttoken000000000001");
    const r = await exchangeMetaToken({ baseUrl: graph.url, version: "v24.0", appId: "111222333", appSecret: "app-secret-zzz999", currentToken: "EAAGcurrenttoken000000000001" });
    expect(r.token).toBe(graph.issued.at(-1));
    expect(r.expiresInSeconds).toBe(5_184_000);
    expect(graph.requests.at(-1)).toEqual({ path: "/oauth/access_token", version: "v24.0" });
  });

  it("GIVEN an expired token THEN meta_token_expired with the whatsapp-token-expired runbook, and no secret in the message", async () => {
    graph.expiredTokens.add("EAAGexpiredtoken00000000002");
    const err = await exchangeMetaToken({ baseUrl: graph.url, version: "v24.0", appId: "111222333", appSecret: "app-secret-zzz999", currentToken: "EAAGexpiredtoken00000000002" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect(err).toMatchObject({ code: "meta_token_expired", runbook: "whatsapp-token-expired", exitCode: 3 });
    expect(String((err as Error).message)).not.toContain("app-secret-zzz999");
    expect(String((err as Error).message)).not.toContain("EAAGexpiredtoken");
  });
});

describe("--verify redis against real redis-server", () => {
  const servers = inject("servers");
  let protectedRedis: RunningServer & { url: string };
  beforeAll(async () => {
    protectedRedis = await startRedis({ password: "the-right-password-1" });
  });
  afterAll(() => protectedRedis.stop());

  it("GIVEN a Redis with AUTH THEN the right password passes and a wrong one is refused (WRONGPASS)", async () => {
    const verifier = redisVerifier(protectedRedis.url);
    const ctx = { secretId: "REDIS_PASSWORD", version: 2, signal: new AbortController().signal };
    expect(await verifier.verify("the-right-password-1", ctx)).toMatchObject({ ok: true });
    const wrong = await verifier.verify("not-the-password-2", ctx);
    expect(wrong.ok).toBe(false);
    expect(wrong.detail).toContain("WRONGPASS");
  });

  it("GIVEN a Redis without AUTH THEN the check refuses to vouch for any value", async () => {
    const outcome = await redisVerifier(servers.redisUrl).verify("anything-goes-3", { secretId: "REDIS_PASSWORD", version: 2, signal: new AbortController().signal });
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toContain("AUTH is not enabled");
  });
});

describe("--verify redis over TLS (rediss://, own CA like Memorystore)", () => {
  let tlsRedis: RunningServer & { url: string };
  let tlsPort = 0;
  let caPem = "";
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsctl-redis-tls-"));
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=opsctl-test-ca");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=127.0.0.1");
    writeFileSync(join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
    openssl("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem", "-days", "1", "-extfile", "ext.cnf");
    caPem = readFileSync(join(dir, "ca.pem"), "utf8");
    tlsPort = await freePort();
    tlsRedis = await startRedis({
      password: "tls-right-password-4",
      args: ["--tls-port", String(tlsPort), "--tls-cert-file", join(dir, "srv.pem"), "--tls-key-file", join(dir, "srv.key"), "--tls-ca-cert-file", join(dir, "ca.pem"), "--tls-auth-clients", "no"],
    });
  });
  afterAll(() => tlsRedis.stop());

  it("GIVEN the server CA THEN AUTH over TLS passes; WITHOUT it THEN the check cannot run (remote error, not a refused value)", async () => {
    const ctx = { secretId: "REDIS_PASSWORD", version: 2, signal: new AbortController().signal };
    expect(await redisVerifier(`rediss://127.0.0.1:${tlsPort}`, caPem).verify("tls-right-password-4", ctx)).toMatchObject({ ok: true });
    await expect(redisVerifier(`rediss://127.0.0.1:${tlsPort}`).verify("tls-right-password-4", ctx)).rejects.toMatchObject({ exitCode: 3 });
  });
});
