/**
 * Physical names of everything opsctl provisions, in one place, within GCP's length and charset
 * limits. Pure (no provider import) so cdktf/, modules/ and cli/ agree on every name.
 *
 * Topics, subscriptions, secrets, Cloud Run services and jobs keep their config key (one project per
 * environment, and operators type these names); network-level resources get the environment prefix;
 * bucket names are global, so they start with the project id.
 */
import { createHash } from "node:crypto";

export interface NameLimit {
  /** maximum length */
  max: number;
  /** characters that survive; anything else becomes "-" */
  allowed: RegExp;
}

export const LIMITS = {
  /** compute networks, subnets, addresses, firewalls, Memorystore instances: RFC 1035, 63 chars */
  compute: { max: 63, allowed: /[a-z0-9-]/ },
  /** serverless VPC access connectors: 25 chars */
  connector: { max: 25, allowed: /[a-z0-9-]/ },
  /** service account ids: 6-30 chars */
  serviceAccount: { max: 30, allowed: /[a-z0-9-]/ },
  /** Cloud Run services and jobs: 49 chars */
  cloudRun: { max: 49, allowed: /[a-z0-9-]/ },
  /** Cloud Storage buckets: 3-63 chars, globally unique */
  bucket: { max: 63, allowed: /[a-z0-9-]/ },
  /** Cloud Scheduler jobs: 500 chars, letters, digits, - and _ */
  scheduler: { max: 500, allowed: /[a-zA-Z0-9_-]/ },
} as const satisfies Record<string, NameLimit>;

/** A short, stable hash suffix so truncated names stay unique. */
function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 6);
}

/**
 * Joins parts with "-", lowercases (except where the limit allows upper case), replaces characters
 * the API refuses, and when too long keeps a prefix plus a hash of the full name.
 */
export function physicalName(parts: string[], limit: NameLimit): string {
  const keepCase = limit.allowed.test("A");
  const raw = parts.filter((p) => p !== "").join("-");
  const cased = keepCase ? raw : raw.toLowerCase();
  let name = [...cased].map((ch) => (limit.allowed.test(ch) ? ch : "-")).join("").replace(/-+/g, "-").replace(/^-+|-+$/g, "");
  if (!/^[a-zA-Z]/.test(name)) name = `x${name}`;
  if (name.length > limit.max) {
    const suffix = shortHash(raw);
    name = `${name.slice(0, limit.max - suffix.length - 1).replace(/-+$/, "")}-${suffix}`;
  }
  return name;
}

export interface NamingInput {
  namePrefix: string;
  project: { id: string };
}

/** The names of one environment's resources. */
export function namesFor(env: NamingInput) {
  const p = env.namePrefix;
  return {
    network: physicalName([p, "vpc"], LIMITS.compute),
    subnet: physicalName([p, "subnet"], LIMITS.compute),
    privateServiceRange: physicalName([p, "psa-range"], LIMITS.compute),
    connector: physicalName([p, "conn"], LIMITS.connector),
    firewall: (name: string) => physicalName([p, name], LIMITS.compute),
    redis: physicalName([p, "redis"], LIMITS.compute),
    bucket: (name: string) => physicalName([env.project.id, name], LIMITS.bucket),
    topic: (name: string) => name,
    subscription: (name: string) => name,
    dlqSubscription: (dlqTopic: string) => `${dlqTopic}-sub`,
    secret: (name: string) => name,
    service: (name: string) => physicalName([name], LIMITS.cloudRun),
    job: (name: string) => physicalName([name], LIMITS.cloudRun),
    serviceAccount: (workload: string) => physicalName([p, workload], LIMITS.serviceAccount),
    scheduler: (name: string) => physicalName([name], LIMITS.scheduler),
    rotationTopic: physicalName([p, "secret-rotation"], LIMITS.compute),
  };
}

export type Names = ReturnType<typeof namesFor>;
