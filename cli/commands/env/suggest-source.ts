/**
 * The env contract entry most likely to wire a variable the code reads, from its name and the
 * resources of the environment document. A suggestion for a human to review, never applied blindly.
 */
import type { EnvironmentConfig, EnvSource } from "../../../config/schema.js";
import { nearName, wordOverlap } from "./near-names.js";

export interface SourceSuggestion {
  source: EnvSource;
  why: string;
}

const SECRETISH = /(SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

function bestResource(name: string, resources: string[]): string | undefined {
  let best: string | undefined;
  let score = -1;
  for (const r of resources) {
    const s = wordOverlap(name, r.replace(/-/g, "_"));
    if (s > score) {
      score = s;
      best = r;
    }
  }
  return best;
}

export function suggestSource(name: string, config: EnvironmentConfig, wired: Record<string, EnvSource>): SourceSuggestion {
  const similar = nearName(name, Object.keys(wired));
  if (similar !== undefined && wired[similar]) return { source: wired[similar], why: `same source as ${similar}, which the contract already wires (or rename the read in the code)` };
  const upper = name.toUpperCase();
  if (/^REDIS_(HOST|ADDR|ADDRESS|HOSTNAME)$/.test(upper)) return { source: { from: "redis.host" }, why: "Memorystore primary endpoint" };
  if (/^REDIS_PORT$/.test(upper)) return { source: { from: "redis.port" }, why: "Memorystore port" };
  if (/^REDIS_(TLS|SSL)$/.test(upper)) return { source: { from: "redis.tls" }, why: "in-transit encryption flag" };
  if (/^(GCP_|GOOGLE_CLOUD_|GCLOUD_)?PROJECT(_ID)?$/.test(upper)) return { source: { from: "project.id" }, why: "the project id (seed 000: Datastore failed without it)" };
  if (/(^|_)REGION$/.test(upper)) return { source: { from: "region" }, why: "deployment region" };
  if (/FIRESTORE.*(DATABASE|DB)/.test(upper)) return { source: { from: "firestore.database" }, why: "Firestore database id" };
  if (/BUCKET/.test(upper) && Object.keys(config.buckets).length > 0) {
    const bucket = bestResource(name, Object.keys(config.buckets)) ?? Object.keys(config.buckets)[0];
    return { source: { from: `bucket.${bucket}.name` }, why: `bucket "${bucket}" of this environment` };
  }
  if (/TOPIC/.test(upper) && Object.keys(config.topics).length > 0) {
    const topic = bestResource(name, Object.keys(config.topics)) ?? Object.keys(config.topics)[0];
    return { source: { from: `topic.${topic}.id` }, why: `topic "${topic}" of this environment` };
  }
  const secrets = Object.keys(config.secrets);
  const secret = secrets.includes(name) ? name : nearName(name, secrets);
  if (secret !== undefined) return { source: { secret, version: "latest" }, why: `Secret Manager secret "${secret}"` };
  if (SECRETISH.test(upper)) return { source: { secret: name, version: "latest" }, why: `looks like a secret: add "${name}" under secrets: and write its value with opsctl secrets rotate` };
  return { source: { value: "" }, why: "no resource matches: fill in the literal value" };
}

export function sourceYaml(source: EnvSource): string {
  if ("from" in source) return `{ from: ${source.from} }`;
  if ("secret" in source) return `{ secret: ${source.secret}${source.version && source.version !== "latest" ? `, version: "${source.version}"` : ""} }`;
  return `{ value: ${JSON.stringify(source.value)} }`;
}
