/**
 * The fake Cloud Run Admin API through the official @google-cloud/run client (REST fallback), the
 * way product code reaches it; plus fault injection and the pinned-traffic warning of health.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createRunApi, type RunApi } from "../../cli/cloud-run/run-api.js";
import { runServicesClient } from "../../cli/core/google-clients.js";
import type { CloudRunFake } from "../fakes/cloud-run/cloud-run-fake.js";
import { runOpsctl } from "../harness/run-opsctl.js";
import { cliEnv, PROJECT, REGION, serviceName, startFake, writeConfig } from "./fixture.js";

const servers = inject("servers");
const NAME = serviceName();
let fake: CloudRunFake;
let api: RunApi;

beforeEach(async () => {
  fake = await startFake();
  api = await createRunApi({ ...process.env, OPSCTL_RUN_ENDPOINT: fake.url });
});
afterEach(async () => {
  await api.close();
  await fake.stop();
});

describe("CloudRunFake through @google-cloud/run", () => {
  it("serves services and revisions in the v2 shapes", async () => {
    await fake.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "img:healthy", env: { LOG_LEVEL: "info" } }] });
    const { view } = await api.getService(NAME);
    expect(view).toMatchObject({ generation: 1, observedGeneration: 1, reconciling: false, traffic: [{ type: "LATEST", percent: 100 }] });
    expect(view.terminalCondition?.state).toBe("CONDITION_SUCCEEDED");
    const [rev] = await api.listRevisions(NAME);
    expect(rev).toMatchObject({ ready: true, images: ["img:healthy"], env: [{ name: "LOG_LEVEL", value: "info" }] });
    const res = await fetch(`${view.uri}/healthz`);
    expect(await res.json()).toMatchObject({ status: "ok", revision: view.latestReadyRevision });
  });

  it("creates a revision on a template change, bumps generation and settles it", async () => {
    await fake.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "img:healthy" }] });
    const { raw } = await api.getService(NAME);
    const first = raw.template?.containers?.[0];
    if (first) first.image = "img:healthy-v2";
    await api.updateService(raw);
    expect(fake.service(NAME).generation).toBe("2");
    for (let i = 0; i < 200 && fake.service(NAME).observedGeneration !== "2"; i++) await new Promise((r) => setTimeout(r, 25));
    const settled = fake.service(NAME);
    expect(settled.reconciling).toBe(false);
    expect(settled.observedGeneration).toBe("2");
    expect(fake.revisionsOf(NAME)).toHaveLength(2);
    expect(settled.latestReadyRevision).toBe(fake.revisionsOf(NAME)[1]?.name);
  });

  it("rejects a stale etag with 409 ABORTED and a bad split with 400", async () => {
    await fake.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "img:healthy" }] });
    const { raw } = await api.getService(NAME);
    fake.simulateConcurrentChange(NAME);
    await expect(api.updateService(raw)).rejects.toMatchObject({ code: 10 });
    const fresh = (await api.getService(NAME)).raw;
    fresh.traffic = [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 90 }];
    await expect(api.updateService(fresh)).rejects.toThrow(/sum to 100/);
  });

  it("completes the updateService long-running operation once the change settled", async () => {
    await fake.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "img:healthy" }] });
    const client = await runServicesClient({ ...process.env, OPSCTL_RUN_ENDPOINT: fake.url });
    try {
      const [service] = await client.getService({ name: NAME });
      service.traffic = [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100, tag: "current" }];
      const [operation] = await client.updateService({ service });
      const [done] = await operation.promise();
      expect(done.observedGeneration?.toString()).toBe("2");
      expect(done.trafficStatuses?.[0]?.uri).toMatch(/^http:\/\/127\.0\.0\.1:/);
    } finally {
      await client.close();
    }
  });

  it("retries injected 429/503 on reads", async () => {
    await fake.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "img:healthy" }] });
    fake.http.injectFault(503, 1);
    fake.http.injectFault(429, 1);
    const { view } = await api.getService(NAME);
    expect(view.generation).toBe(1);
    expect(fake.http.calls.length).toBe(3);
  });
});

describe("deploy and health against a degraded API", () => {
  it("GIVEN 503s and latency on the API THEN the canary still completes", async () => {
    await fake.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "img:healthy", env: { LOG_LEVEL: "info" } }] });
    fake.http.setLatency(20);
    fake.http.injectFault(503, 2, /^PATCH /);
    fake.http.injectFault(429, 2, /^GET /);
    const config = writeConfig(`t${randomBytes(4).toString("hex")}`);
    const run = await runOpsctl(["--config", config, "--json", "deploy", "--service", "webhook", "--image", "img:healthy-v2", "--yes", "--probes-per-bake", "1"], { env: cliEnv(fake, servers.firestoreHost) });
    expect(run.code, run.stderr).toBe(0);
    expect(fake.service(NAME).traffic).toEqual([{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }]);
  });

  it("GIVEN a declared service missing from the project THEN health names it and exits 1", async () => {
    const config = writeConfig(`t${randomBytes(4).toString("hex")}`);
    const run = await runOpsctl(["--config", config, "--json", "health"], { env: cliEnv(fake, servers.firestoreHost) });
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.stringify(run.json?.result)).toMatch(/"name":"service-exists","ok":false/);
  });

  it("GIVEN traffic pinned to an older revision THEN health warns about the pinned-traffic trap", async () => {
    await fake.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "img:healthy", env: { LOG_LEVEL: "info" } }, { image: "img:healthy-new", env: { LOG_LEVEL: "info" } }], traffic: [{ revision: 0, percent: 100 }] });
    const config = writeConfig(`t${randomBytes(4).toString("hex")}`);
    const run = await runOpsctl(["--config", config, "--json", "health", "--service", "webhook"], { env: cliEnv(fake, servers.firestoreHost) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/traffic is pinned/);
  });
});
