/**
 * Deploy bench, against the fake Cloud Run Admin API (test/fakes/cloud-run) and the Firestore
 * emulator: how long the CLI takes from a failed canary gate to the previous split served again
 * (its own overhead: the fake settles after 30 ms and is polled every 20 ms), and how many API
 * calls one full canary (10 → 50 → 100) makes.
 */
import { runOpsctl } from "../test/harness/run-opsctl.js";
import { startFirestoreEmulator } from "../test/harness/servers.js";
import { CloudRunFake } from "../test/fakes/cloud-run/cloud-run-fake.js";
import { cliEnv, PROJECT, REGION, writeConfig } from "../test/cloud-run/fixture.js";
import { median } from "./measure.js";
import type { BenchRow, BenchSuite } from "./run.js";

const RUNS = 5;

async function withFake<T>(fn: (fake: CloudRunFake) => Promise<T>): Promise<T> {
  const fake = new CloudRunFake({ readyDelayMs: 30 });
  await fake.start();
  try {
    await fake.seedService({ project: PROJECT, location: REGION, name: "webhook", revisions: [{ image: "img:healthy", env: { LOG_LEVEL: "info" } }] });
    return await fn(fake);
  } finally {
    await fake.stop();
  }
}

const suite: BenchSuite = {
  name: `deploy against the fake Cloud Run API (median of ${RUNS})`,
  async run() {
    const firestore = await startFirestoreEmulator();
    try {
      const config = writeConfig("bench", { bake: "0ms" });
      const deploy = (fake: CloudRunFake, image: string) =>
        runOpsctl(["--config", config, "--json", "deploy", "--service", "webhook", "--image", image, "--yes", "--probes-per-bake", "3"], { env: cliEnv(fake, firestore.address) });

      const restore: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await withFake(async (fake) => {
          // The preflight probe passes, the first bake probe fails: the gate trips at 10%.
          const run = await deploy(fake, "img:fails-after-1");
          const result = (run.json?.result as { result?: { outcome: string; restoreMs?: number } } | undefined)?.result;
          if (run.code !== 1 || result?.outcome !== "rolled-back" || result.restoreMs === undefined) throw new Error(`expected a rollback, got exit ${run.code}: ${run.stderr}`);
          restore.push(result.restoreMs);
        });
      }
      const calls: Array<{ total: number; reads: number; writes: number }> = [];
      for (let i = 0; i < RUNS; i++) {
        await withFake(async (fake) => {
          const started = performance.now();
          const run = await deploy(fake, "img:healthy-v2");
          wall.push(performance.now() - started);
          if (run.code !== 0) throw new Error(`canary failed: ${run.stderr}`);
          const api = fake.http.calls;
          calls.push({ total: api.length, reads: api.filter((c) => c.method === "GET").length, writes: api.filter((c) => c.method !== "GET").length });
        });
      }
      const rows: BenchRow[] = [
        { name: "failed gate → previous split served", value: median(restore), unit: "ms", note: "CLI-measured; includes 1 PATCH + settle polling (fake settles in 30 ms, poll 20 ms)" },
        { name: "full canary 10→50→100: API calls", value: median(calls.map((c) => c.total)), unit: "calls", note: "no target yet" },
        { name: "  of which reads (GET)", value: median(calls.map((c) => c.reads)), unit: "calls" },
        { name: "  of which writes (PATCH)", value: median(calls.map((c) => c.writes)), unit: "calls", note: "candidate + 10% + 50% + 100%" },
        { name: "full canary wall time, bake 0", value: median(wall), unit: "ms", note: "process start to exit, incl. Firestore history write" },
      ];
      return rows;
    } finally {
      await firestore.stop();
    }
  },
};
export default suite;
