/**
 * Pure rules of the env contract, shared by config validation, cdktf/ (wiring) and the CLI
 * (env verify / scan). No provider or Google client is imported here.
 */
import type { EnvironmentConfig } from "./schema.js";

/** Names Cloud Run sets itself or refuses (seed 001: AWS_REGION was rejected the same way). */
export const RESERVED_ENV_NAMES = new Set(["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"]);
const JOB_RESERVED_PREFIX = "CLOUD_RUN_";

export type WorkloadKind = "service" | "job";

/** Why a variable name is refused, or undefined when it is allowed. */
export function reservedNameProblem(name: string, kind: WorkloadKind): string | undefined {
  if (name.trim() === "") return "an env var name must not be empty";
  if (name.includes("=")) return `"${name}" contains "=", which Cloud Run refuses in a name`;
  if (RESERVED_ENV_NAMES.has(name)) return `"${name}" is reserved: Cloud Run sets it on every instance`;
  if (name.toUpperCase().startsWith("X_GOOGLE_")) return `"${name}" starts with X_GOOGLE_, a prefix Cloud Run reserves`;
  if (kind === "job" && name.startsWith(JOB_RESERVED_PREFIX)) return `"${name}" starts with CLOUD_RUN_, reserved for Cloud Run jobs (task index/count)`;
  return undefined;
}

const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH)/i;
const SECRET_VALUE = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^EAA[A-Za-z0-9]{30,}$/, // Meta (Facebook/WhatsApp) access tokens
  /^AIza[0-9A-Za-z_-]{35}$/, // Google API keys
  /^(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}$/,
  /^sk-[A-Za-z0-9_-]{20,}$/,
  /^xox[abpr]-[A-Za-z0-9-]{10,}$/,
];

/** A literal that should have been a Secret Manager reference: by its name or by its shape. */
export function literalLooksSecret(name: string, value: string): string | undefined {
  if (SECRET_NAME.test(name) && value !== "") return `"${name}" looks like a secret by its name; use { secret: ... } instead of a literal`;
  for (const pattern of SECRET_VALUE) {
    if (pattern.test(value)) return `the value of "${name}" looks like a credential; use { secret: ... } instead of a literal`;
  }
  // Long high-entropy strings with mixed classes are very likely tokens.
  if (value.length >= 32 && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value) && !/[\s/.:]/.test(value)) {
    return `the value of "${name}" looks like a random token; use { secret: ... } instead of a literal`;
  }
  return undefined;
}

/** Every `from:` source this document can satisfy, mapped to what it means. */
export function availableSources(config: EnvironmentConfig): Map<string, string> {
  const sources = new Map<string, string>([
    ["project.id", "the GCP project id"],
    ["region", "the deployment region"],
    ["environment", "the environment name"],
    ["redis.host", "Memorystore primary endpoint IP"],
    ["redis.port", "Memorystore port"],
    ["redis.tls", "true when in-transit encryption is on"],
    ["firestore.database", "Firestore database id"],
  ]);
  if (config.redis.readReplicas > 0) {
    sources.set("redis.readHost", "Memorystore read endpoint IP");
    sources.set("redis.readPort", "Memorystore read endpoint port");
  }
  for (const name of Object.keys(config.buckets)) {
    sources.set(`bucket.${name}.name`, `name of bucket "${name}"`);
    sources.set(`bucket.${name}.url`, `gs:// URL of bucket "${name}"`);
  }
  for (const [name, topic] of Object.entries(config.topics)) {
    sources.set(`topic.${name}.id`, `full id of topic "${name}"`);
    sources.set(`topic.${name}.name`, `short name of topic "${name}"`);
    for (const sub of Object.keys(topic.subscriptions)) {
      sources.set(`subscription.${sub}.id`, `full id of subscription "${sub}"`);
      sources.set(`subscription.${sub}.name`, `short name of subscription "${sub}"`);
    }
  }
  for (const name of Object.keys(config.services)) {
    sources.set(`service.${name}.url`, `URL of Cloud Run service "${name}"`);
  }
  return sources;
}
