/** An environment document and a seeded fake for the Cloud Run tests and the deploy bench. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudRunFake } from "../fakes/cloud-run/cloud-run-fake.js";

export const PROJECT = "opsctl-test";
export const REGION = "europe-west1";

/** Writes config/<env>.yaml into a temp dir and returns its path. */
export function writeConfig(env: string, opts: { bake?: string; steps?: number[]; readyTimeout?: string; envContract?: Record<string, string>; healthTimeoutMs?: number } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "opsctl-run-"));
  const contract = Object.entries(opts.envContract ?? { LOG_LEVEL: "info" })
    .map(([k, v]) => `      ${k}: { value: ${JSON.stringify(v)} }`)
    .join("\n");
  const file = join(dir, `${env}.yaml`);
  writeFileSync(
    file,
    `environment: ${env}
stage: dev
project: { id: ${PROJECT}, region: ${REGION} }
namePrefix: t
network: { subnetCidr: 10.10.0.0/24, privateServiceRange: 10.20.0.0/16, egress: direct }
redis: {}
firestore: { location: ${REGION}, deleteProtection: false, collections: [audit_logs] }
services:
  webhook:
    image: registry.example/webhook:healthy
    public: true
    ingress: all
    ingressReason: test
    health: { path: /healthz, jsonField: status=ok, attempts: 2, timeoutMs: ${opts.healthTimeoutMs ?? 2000} }
    deploy: { steps: [${(opts.steps ?? [10, 50, 100]).join(", ")}], bake: ${opts.bake ?? "200ms"}, readyTimeout: ${opts.readyTimeout ?? "5s"}, maxErrorRate: 0.01, maxP95Ms: 1500 }
    env:
${contract}
`,
  );
  return file;
}

export async function startFake(): Promise<CloudRunFake> {
  const fake = new CloudRunFake({ readyDelayMs: 30 });
  await fake.start();
  return fake;
}

export const serviceName = (id = "webhook") => `projects/${PROJECT}/locations/${REGION}/services/${id}`;

export function cliEnv(fake: CloudRunFake, firestoreHost: string): Record<string, string> {
  return { OPSCTL_RUN_ENDPOINT: fake.url, OPSCTL_RUN_POLL_MS: "20", OPSCTL_RETRY_INITIAL_MS: "10", OPSCTL_RETRY_TOTAL_MS: "5000", FIRESTORE_EMULATOR_HOST: firestoreHost, OPSCTL_ACTOR: "test-runner" };
}
