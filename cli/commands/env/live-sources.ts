/**
 * The values `from:` sources have in the live project, the same table cdktf/wiring/source-table.ts
 * builds as Terraform references: names come from config/naming.ts, Redis endpoints from the
 * Memorystore API (or --redis-host/--redis-port), service URLs from Cloud Run. Only the sources the
 * checked contracts use are resolved; one that cannot be (instance or service not deployed) is
 * reported as unresolved and its value is not checked.
 */
import { namesFor } from "../../../config/naming.js";
import type { EnvironmentConfig } from "../../../config/schema.js";
import { serviceFullName, serviceId } from "../../cloud-run/names.js";
import type { RunApi } from "../../cloud-run/run-api.js";
import { errorStatus, remoteError } from "../../core/errors.js";
import { restClient } from "../../core/google-clients.js";

export interface LiveSourceInput {
  config: EnvironmentConfig;
  project: string;
  region: string;
  /** --redis-host / --redis-port: take these instead of asking Memorystore */
  redisHost?: string;
  redisPort?: string;
  run: RunApi;
  env?: NodeJS.ProcessEnv;
}

export interface LiveSources {
  values: Map<string, string>;
  /** source → why it has no value */
  unresolved: Map<string, string>;
}

/** The fields of a Memorystore for Redis v1 Instance this needs. */
interface RedisInstance {
  host?: string;
  port?: number;
  readEndpoint?: string;
  readEndpointPort?: number;
  transitEncryptionMode?: string;
}

const isNotFound = (err: unknown): boolean => {
  const s = errorStatus(err);
  return s.code === 5 || s.status === 404;
};

/** Values known from the document alone (names and ids), for the sources in `wanted`. */
export function staticSourceValues(config: EnvironmentConfig, project: string, region: string, wanted: Iterable<string>): Map<string, string> {
  const names = namesFor(config);
  const out = new Map<string, string>();
  for (const source of wanted) {
    const [kind, key, attr] = splitSource(source);
    let value: string | undefined;
    if (source === "project.id") value = project;
    else if (source === "region") value = region;
    else if (source === "environment") value = config.environment;
    else if (source === "firestore.database") value = config.firestore.databaseId;
    else if (kind === "bucket" && key && config.buckets[key]) value = attr === "url" ? `gs://${names.bucket(key)}` : names.bucket(key);
    else if (kind === "topic" && key && config.topics[key]) value = attr === "id" ? `projects/${project}/topics/${names.topic(key)}` : names.topic(key);
    else if (kind === "subscription" && key) value = attr === "id" ? `projects/${project}/subscriptions/${names.subscription(key)}` : names.subscription(key);
    if (value !== undefined) out.set(source, value);
  }
  return out;
}

/** `bucket.media.name` → ["bucket", "media", "name"]; keys may contain dots only in the middle part. */
function splitSource(source: string): [string, string | undefined, string | undefined] {
  const first = source.indexOf(".");
  const last = source.lastIndexOf(".");
  if (first < 0) return [source, undefined, undefined];
  if (first === last) return [source.slice(0, first), undefined, source.slice(first + 1)];
  return [source.slice(0, first), source.slice(first + 1, last), source.slice(last + 1)];
}

export async function resolveLiveSources(input: LiveSourceInput, wanted: Set<string>): Promise<LiveSources> {
  const { config, project, region } = input;
  const values = staticSourceValues(config, project, region, wanted);
  const unresolved = new Map<string, string>();

  const redisWanted = [...wanted].filter((s) => s.startsWith("redis."));
  if (redisWanted.length > 0) {
    const fromFlags = new Map<string, string>();
    if (input.redisHost !== undefined) fromFlags.set("redis.host", input.redisHost);
    if (input.redisPort !== undefined) fromFlags.set("redis.port", input.redisPort);
    const needApi = redisWanted.some((s) => !fromFlags.has(s));
    const live = needApi ? await readRedisInstance(input) : undefined;
    for (const source of redisWanted) {
      const flag = fromFlags.get(source);
      if (flag !== undefined) values.set(source, flag);
      else if (live === undefined) unresolved.set(source, `Memorystore instance ${namesFor(config).redis} not found in ${project}/${region} (pass --redis-host/--redis-port to check against known values)`);
      else {
        const value = redisAttribute(live, source);
        if (value === undefined) unresolved.set(source, `Memorystore instance ${namesFor(config).redis} has no ${source.slice("redis.".length)}`);
        else values.set(source, value);
      }
    }
  }

  for (const source of wanted) {
    const [kind, key, attr] = splitSource(source);
    if (kind !== "service" || attr !== "url" || !key) continue;
    const name = serviceFullName(project, region, serviceId(config, key));
    try {
      const { view } = await input.run.getService(name);
      if (view.uri) values.set(source, view.uri);
      else unresolved.set(source, `${name} has no URL yet`);
    } catch (err) {
      if (!isNotFound(err)) throw remoteError(`reading Cloud Run service ${name} (for ${source})`, err, { runbook: "missing-env-var" });
      unresolved.set(source, `${name} not found`);
    }
  }
  for (const source of wanted) if (!values.has(source) && !unresolved.has(source)) unresolved.set(source, "not a source this document provides");
  return { values, unresolved };
}

function redisAttribute(instance: RedisInstance, source: string): string | undefined {
  switch (source) {
    case "redis.host":
      return instance.host;
    case "redis.port":
      return instance.port === undefined ? undefined : String(instance.port);
    case "redis.readHost":
      return instance.readEndpoint;
    case "redis.readPort":
      return instance.readEndpointPort === undefined ? undefined : String(instance.readEndpointPort);
    case "redis.tls":
      return String(instance.transitEncryptionMode === "SERVER_AUTHENTICATION");
    default:
      return undefined;
  }
}

/** GET the instance; undefined when it does not exist (not provisioned, or another project/region). */
async function readRedisInstance(input: LiveSourceInput): Promise<RedisInstance | undefined> {
  const name = `projects/${input.project}/locations/${input.region}/instances/${namesFor(input.config).redis}`;
  const api = await restClient("redis", input.env);
  try {
    return await api.request<RedisInstance>(`/v1/${name}`);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw remoteError(`reading Memorystore instance ${name}`, err, { runbook: "redis-connection-refused" });
  }
}
