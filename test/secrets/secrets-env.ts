/** An environment document for the secrets tests: two services and a job consuming the secrets. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const APP_ID = "987654321012345";

export function writeSecretsEnvironment(opts: { graphUrl: string; environment?: string; projectId?: string }): string {
  const environment = opts.environment ?? "sectest";
  const dir = mkdtempSync(join(tmpdir(), "opsctl-secrets-"));
  const file = join(dir, `${environment}.yaml`);
  writeFileSync(
    file,
    `environment: ${environment}
stage: dev
project: { id: ${opts.projectId ?? "sec-test-proj"}, region: southamerica-east1 }
namePrefix: sect
network: { subnetCidr: 10.12.0.0/24, privateServiceRange: 10.22.0.0/16, egress: direct }
redis: { authEnabled: true, transitEncryption: false }
firestore: { location: southamerica-east1, collections: [audit_logs] }
secrets:
  WHATSAPP_ACCESS_TOKEN:
    rotationDays: 55
    provider: meta-token
    meta: { appId: "${APP_ID}", appSecretFrom: WHATSAPP_APP_SECRET, graphApiBaseUrl: "${opts.graphUrl}" }
  WHATSAPP_APP_SECRET:
    provider: manual
  WHATSAPP_VERIFY_TOKEN:
    rotationDays: 90
    provider: hex
    size: 32
  REDIS_PASSWORD:
    provider: manual
    verify: redis
  RSA_PRIVATE_KEY:
    provider: rsa
    size: 2048
  OLD_KEYS:
    provider: random
    graceHours: 24
    retainVersions: 2
    versionDestroyTtlDays: 7
services:
  webhook:
    image: example/webhook:1
    env:
      WHATSAPP_VERIFY_TOKEN: { secret: WHATSAPP_VERIFY_TOKEN }
      REDIS_PASSWORD: { secret: REDIS_PASSWORD }
  worker:
    image: example/worker:1
    env:
      WHATSAPP_ACCESS_TOKEN: { secret: WHATSAPP_ACCESS_TOKEN }
      WHATSAPP_VERIFY_TOKEN: { secret: WHATSAPP_VERIFY_TOKEN, version: "1" }
      REDIS_PASSWORD: { secret: REDIS_PASSWORD }
jobs:
  token-refresh:
    image: example/opsctl:1
    env:
      WHATSAPP_ACCESS_TOKEN: { secret: WHATSAPP_ACCESS_TOKEN }
`,
  );
  return file;
}
