/**
 * `opsctl secrets` against the fake Secret Manager and the Firestore emulator (audit records):
 * wall time of list / rotate / prune --dry-run through the built CLI, and how many Secret Manager
 * requests one rotation makes (each is a round trip to secretmanager.googleapis.com in production).
 * With the fake Cloud Run API: a rotation with --verify cloudrun (a candidate per consuming service)
 * and the roll of the consumer reading `latest` (fake revisions are Ready after 30 ms; in production
 * each revision start takes seconds, so this measures opsctl's own overhead and request count).
 */
import { median } from "./measure.js";
import type { BenchSuite } from "./run.js";
import { CloudRunFake } from "../test/fakes/cloud-run/cloud-run-fake.js";
import { SecretManagerFake } from "../test/fakes/secret-manager/secret-manager-fake.js";
import { runOpsctl } from "../test/harness/run-opsctl.js";
import { startFirestoreEmulator } from "../test/harness/servers.js";
import { writeSecretsEnvironment } from "../test/secrets/secrets-env.js";

const PROJECT = "sec-bench-proj";

const suite: BenchSuite = {
  name: "secrets (fake Secret Manager + Firestore emulator, median of 5, ms)",
  async run() {
    const firestore = await startFirestoreEmulator();
    const sm = new SecretManagerFake();
    await sm.start();
    const run = new CloudRunFake({ readyDelayMs: 30 });
    await run.start();
    try {
      const secretEnv = (vars: string[]) => Object.fromEntries(vars.map((v) => [v, { secret: v }]));
      await run.seedService({ project: PROJECT, location: "southamerica-east1", name: "webhook", revisions: [{ image: "example/webhook:healthy", env: secretEnv(["WHATSAPP_VERIFY_TOKEN", "REDIS_PASSWORD"]) }] });
      await run.seedService({ project: PROJECT, location: "southamerica-east1", name: "worker", revisions: [{ image: "example/worker:healthy", env: secretEnv(["WHATSAPP_ACCESS_TOKEN", "REDIS_PASSWORD"]) }] });
      for (const id of ["WHATSAPP_ACCESS_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "REDIS_PASSWORD", "RSA_PRIVATE_KEY", "OLD_KEYS"]) {
        sm.seedSecret(PROJECT, id, { versions: [{ value: `${id.toLowerCase()}-bench-seed` }] });
      }
      const config = writeSecretsEnvironment({ graphUrl: "http://127.0.0.1:9" });
      const env = { OPSCTL_SECRETMANAGER_ENDPOINT: sm.url, OPSCTL_RUN_ENDPOINT: run.url, OPSCTL_RUN_POLL_MS: "20", FIRESTORE_EMULATOR_HOST: firestore.address, OPSCTL_ACTOR: "bench" };
      const time = async (args: string[], runs = 5): Promise<number> => {
        await runOpsctl(["--config", config, "--project", PROJECT, ...args], { env });
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          const start = process.hrtime.bigint();
          const r = await runOpsctl(["--config", config, "--project", PROJECT, ...args], { env });
          times.push(Number(process.hrtime.bigint() - start) / 1e6);
          if (r.code !== 0 && r.code !== 1) throw new Error(`opsctl ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
        }
        return median(times);
      };
      const list = await time(["secrets", "list", "--json"]);
      const before = sm.calls.length;
      const rotate = await time(["secrets", "rotate", "WHATSAPP_VERIFY_TOKEN", "--generate", "hex:32", "--no-roll-consumers", "--yes"]);
      const callsPerRotation = (sm.calls.length - before) / 6;
      const prune = await time(["secrets", "prune", "--dry-run", "--json"]);
      const runBefore = run.http.calls.length;
      const cloudrun = await time(["secrets", "rotate", "WHATSAPP_VERIFY_TOKEN", "--generate", "hex:32", "--verify", "cloudrun", "--yes"], 3);
      const runCallsPerRotation = (run.http.calls.length - runBefore) / 4;
      return [
        { name: "secrets list (6 secrets)", value: list, unit: "ms" },
        { name: "secrets rotate --generate (4 steps + audit)", value: rotate, unit: "ms" },
        { name: "secrets prune --dry-run (6 secrets)", value: prune, unit: "ms" },
        { name: "Secret Manager requests per rotation", value: callsPerRotation, unit: "calls", note: "metadata writes are one PATCH per step (resumability)" },
        { name: "secrets rotate --verify cloudrun (2 candidates + 1 roll)", value: cloudrun, unit: "ms" },
        { name: "Cloud Run API requests per --verify cloudrun rotation", value: runCallsPerRotation, unit: "calls", note: "mostly readiness polls (OPSCTL_RUN_POLL_MS=20 here, 1 s by default)" },
      ];
    } finally {
      await run.stop();
      await sm.stop();
      await firestore.stop();
    }
  },
};
export default suite;
