/**
 * Cross-field rules over a schema-valid document. Each rule is small and named; all of them run and
 * every problem is returned with its dot-path, so one `config validate` shows everything to fix.
 */
import { didYouMean } from "./did-you-mean.js";
import { availableSources, literalLooksSecret, reservedNameProblem, type WorkloadKind } from "./env-contract.js";
import type { EnvironmentConfig, EnvSource } from "./schema.js";

export interface ConfigIssue {
  path: string;
  message: string;
  severity: "error" | "warning";
}

type Rule = (config: EnvironmentConfig) => ConfigIssue[];

const error = (path: string, message: string): ConfigIssue => ({ path, message, severity: "error" });
const warning = (path: string, message: string): ConfigIssue => ({ path, message, severity: "warning" });

const prodRedisIsProtected: Rule = (c) => {
  if (c.stage !== "prod") return [];
  const out: ConfigIssue[] = [];
  if (!c.redis.authEnabled) out.push(error("redis.authEnabled", "prod requires Redis AUTH (authEnabled: true)"));
  if (!c.redis.transitEncryption) out.push(error("redis.transitEncryption", "prod requires in-transit encryption (transitEncryption: true)"));
  return out;
};

const readReplicasNeedHa: Rule = (c) =>
  c.redis.readReplicas > 0 && c.redis.tier !== "STANDARD_HA"
    ? [error("redis.readReplicas", "read replicas need tier STANDARD_HA")]
    : [];

const connectorWhenEgressIsConnector: Rule = (c) =>
  c.network.egress === "connector" && c.network.connector === undefined
    ? [error("network.connector", 'egress "connector" needs a connector block (cidr, a /28)')]
    : [];

const labelsAreUnique: Rule = (c) => {
  const out: ConfigIssue[] = [];
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(c.labels)) {
    const lower = key.toLowerCase();
    const previous = seen.get(lower);
    if (previous !== undefined) out.push(error(`labels.${key}`, `duplicates "${previous}" when compared case-insensitively (GCP label keys are lowercase)`));
    seen.set(lower, key);
    if (!/^[a-z][a-z0-9_-]{0,62}$/.test(key)) out.push(error(`labels.${key}`, "label keys must be lowercase, start with a letter and use only a-z 0-9 _ -"));
    if (!/^[a-z0-9_-]{0,63}$/.test(value)) out.push(error(`labels.${key}`, `label value "${value}" must be lowercase a-z 0-9 _ - (max 63)`));
  }
  return out;
};

function checkEnv(
  c: EnvironmentConfig,
  kind: WorkloadKind,
  workload: string,
  env: Record<string, EnvSource>,
  requiredEnv: string[],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const base = `${kind === "service" ? "services" : "jobs"}.${workload}`;
  const sources = availableSources(c);
  const secretNames = Object.keys(c.secrets);
  for (const [name, source] of Object.entries(env)) {
    const path = `${base}.env.${name}`;
    const reserved = reservedNameProblem(name, kind);
    if (reserved !== undefined) out.push(error(path, reserved));
    if ("from" in source) {
      if (!sources.has(source.from)) out.push(error(path, `unknown source "${source.from}"${didYouMean(source.from, sources.keys())}`));
      if (kind === "service" && source.from === `service.${workload}.url`) out.push(error(path, "a service cannot read its own URL from the contract (it would be a dependency cycle); read it at run time"));
    } else if ("secret" in source) {
      if (!(source.secret in c.secrets)) out.push(error(path, `unknown secret "${source.secret}"${didYouMean(source.secret, secretNames)}`));
    } else {
      const secretProblem = literalLooksSecret(name, source.value);
      if (secretProblem !== undefined) out.push(error(path, secretProblem));
      if (/^(localhost|127\.0\.0\.1|::1)(:\d+)?$/.test(source.value)) out.push(error(path, `literal "${source.value}" points at the container itself; wire it from its resource (seed 000: REDIS_HOST defaulted to localhost)`));
    }
  }
  requiredEnv.forEach((name, i) => {
    if (!(name in env)) out.push(error(`${base}.requiredEnv.${i}`, `"${name}" is required but not wired${didYouMean(name, Object.keys(env))}`));
  });
  return out;
}

const envContractIsWired: Rule = (c) => [
  ...Object.entries(c.services).flatMap(([n, s]) => checkEnv(c, "service", n, s.env, s.requiredEnv)),
  ...Object.entries(c.jobs).flatMap(([n, j]) => checkEnv(c, "job", n, j.env, j.requiredEnv)),
];

const serviceReferencesExist: Rule = (c) => {
  const out: ConfigIssue[] = [];
  const topics = Object.keys(c.topics);
  const buckets = Object.keys(c.buckets);
  for (const [name, s] of Object.entries(c.services)) {
    s.publishes.forEach((t, i) => {
      if (!(t in c.topics)) out.push(error(`services.${name}.publishes.${i}`, `unknown topic "${t}"${didYouMean(t, topics)}`));
    });
    s.buckets.forEach((b, i) => {
      if (!(b in c.buckets)) out.push(error(`services.${name}.buckets.${i}`, `unknown bucket "${b}"${didYouMean(b, buckets)}`));
    });
    if (s.ingress === "all" && !s.ingressReason) out.push(warning(`services.${name}.ingressReason`, 'ingress "all" without a recorded reason (the ingress-all-without-reason rule fails lint)'));
    const last = s.deploy.steps.at(-1);
    if (last !== 100) out.push(error(`services.${name}.deploy.steps`, "the canary steps must end at 100"));
    if (s.deploy.steps.some((v, i, all) => i > 0 && v <= (all[i - 1] ?? 0))) out.push(error(`services.${name}.deploy.steps`, "the canary steps must increase"));
    if (s.maxInstances < s.minInstances) out.push(error(`services.${name}.maxInstances`, "maxInstances is below minInstances"));
  }
  return out;
};

const subscriptionsAreWired: Rule = (c) => {
  const out: ConfigIssue[] = [];
  const services = Object.keys(c.services);
  const seen = new Map<string, string>();
  for (const [topic, t] of Object.entries(c.topics)) {
    for (const [sub, s] of Object.entries(t.subscriptions)) {
      const path = `topics.${topic}.subscriptions.${sub}`;
      const owner = seen.get(sub);
      if (owner !== undefined) out.push(error(path, `subscription name "${sub}" is also used under topic "${owner}"; names are project-wide`));
      seen.set(sub, topic);
      if (s.push && !(s.push.service in c.services)) out.push(error(`${path}.push.service`, `unknown service "${s.push.service}"${didYouMean(s.push.service, services)}`));
      const dlq = s.deadLetter.topic ?? `${topic}-dlq`;
      if (dlq === topic) out.push(error(`${path}.deadLetter.topic`, "a subscription cannot dead-letter to its own topic"));
    }
  }
  return out;
};

const firestoreReferencesExist: Rule = (c) => {
  const out: ConfigIssue[] = [];
  const collections = c.firestore.collections;
  const known = new Set(collections);
  c.firestore.indexes.forEach((ix, i) => {
    if (!known.has(ix.collection)) out.push(error(`firestore.indexes.${i}.collection`, `unknown collection "${ix.collection}"${didYouMean(ix.collection, collections)}`));
  });
  c.firestore.ttl.forEach((t, i) => {
    if (!known.has(t.collection)) out.push(error(`firestore.ttl.${i}.collection`, `unknown collection "${t.collection}"${didYouMean(t.collection, collections)}`));
  });
  if (c.stage === "prod" && !c.firestore.deleteProtection) out.push(error("firestore.deleteProtection", "prod requires Firestore delete protection"));
  if (c.idempotency) {
    const doc = c.idempotency.document;
    if (!known.has(doc.collection)) out.push(error("idempotency.document.collection", `unknown collection "${doc.collection}"${didYouMean(doc.collection, collections)}`));
    if ((doc.idTemplate === undefined) === (doc.field === undefined)) out.push(error("idempotency.document", "set exactly one of idTemplate or field"));
    if (doc.idTemplate !== undefined && !doc.idTemplate.includes("{key}")) out.push(error("idempotency.document.idTemplate", 'the template must contain "{key}"'));
    if (c.idempotency.leaseSeconds > c.idempotency.ttlSeconds) out.push(warning("idempotency.leaseSeconds", "the in-progress lease is longer than the key TTL"));
  }
  if (!known.has(c.audit.collection)) out.push(warning("audit.collection", `audit collection "${c.audit.collection}" is not in firestore.collections`));
  return out;
};

const schedulerTargetsExist: Rule = (c) =>
  Object.entries(c.schedulerJobs).flatMap(([name, j]) => {
    const path = `schedulerJobs.${name}.target`;
    if ("job" in j.target) return j.target.job in c.jobs ? [] : [error(`${path}.job`, `unknown job "${j.target.job}"${didYouMean(j.target.job, Object.keys(c.jobs))}`)];
    return j.target.service in c.services ? [] : [error(`${path}.service`, `unknown service "${j.target.service}"${didYouMean(j.target.service, Object.keys(c.services))}`)];
  });

const secretsAreRotatable: Rule = (c) =>
  Object.entries(c.secrets).flatMap(([name, s]) =>
    s.provider === "rsa" && s.size !== undefined && s.size < 2048 ? [error(`secrets.${name}.size`, "RSA keys must be at least 2048 bits")] : [],
  );

const monitoringReferencesExist: Rule = (c) =>
  Object.entries(c.monitoring.notificationChannels).flatMap(([name, ch]) => {
    const path = `monitoring.notificationChannels.${name}`;
    if (ch.type === "pubsub" && !ch.topic.startsWith("projects/") && !(ch.topic in c.topics)) return [error(`${path}.topic`, `unknown topic "${ch.topic}"${didYouMean(ch.topic, Object.keys(c.topics))}`)];
    if (ch.type === "webhook" && ch.authTokenSecret !== undefined && !(ch.authTokenSecret in c.secrets)) return [error(`${path}.authTokenSecret`, `unknown secret "${ch.authTokenSecret}"${didYouMean(ch.authTokenSecret, Object.keys(c.secrets))}`)];
    return [];
  });

export const CONFIG_RULES: Record<string, Rule> = {
  prodRedisIsProtected,
  readReplicasNeedHa,
  connectorWhenEgressIsConnector,
  labelsAreUnique,
  envContractIsWired,
  serviceReferencesExist,
  subscriptionsAreWired,
  firestoreReferencesExist,
  schedulerTargetsExist,
  secretsAreRotatable,
  monitoringReferencesExist,
};

export function checkConfigRules(config: EnvironmentConfig): ConfigIssue[] {
  return Object.values(CONFIG_RULES).flatMap((rule) => rule(config));
}
