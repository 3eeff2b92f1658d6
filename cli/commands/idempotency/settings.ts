/**
 * Everything a check run needs, resolved once: flags override the `idempotency` section of the
 * environment document, and with no --env/--config the flags alone must suffice.
 */
import { readFileSync } from "node:fs";
import type { IdempotencyConfig } from "../../../config/schema.js";
import { booleanOption, stringOption } from "../../core/command.js";
import { usageError } from "../../core/errors.js";
import type { KeySchema } from "./key-schema.js";
import { resolveShard, type Shard } from "./shard.js";

export interface RedisEndpoint {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  db: number;
  /** the URL without credentials, for logs and the checkpoint */
  display: string;
}

export interface DocumentMapping {
  collection: string;
  /** "{key}"-style id template, or undefined when matching by field */
  idTemplate?: string;
  field?: string;
  timestampField: string;
  databaseId: string;
}

export interface CheckSettings {
  schema: KeySchema;
  document: DocumentMapping;
  primary: RedisEndpoint;
  /** audit reads go here when set (Memorystore read replicas); repairs always go to the primary */
  replica?: RedisEndpoint;
  caFile?: string;
  ca?: Buffer;
  password?: string;
  maxRate: number;
  scanCount: number;
  concurrency: number;
  repair: boolean;
  republishTopic?: string;
  checkpointFile?: string;
  resumeFile?: string;
  shard: Shard;
}

const DEFAULTS = { ttlSeconds: 86_400, leaseSeconds: 300, windowSeconds: 86_400, maxRate: 5_000 };

export function resolveSettings(options: Record<string, unknown>, config: IdempotencyConfig | undefined, env: NodeJS.ProcessEnv, databaseId = "(default)"): CheckSettings {
  const flag = (name: string) => stringOption(options, name);
  const prefix = flag("prefix") ?? config?.keyPrefix;
  if (!prefix) throw usageError("no key prefix", "pass --prefix (e.g. idempotency:) or select an environment whose config has idempotency.keyPrefix");
  if (prefix === "*" || prefix.trim() === "") throw usageError(`--prefix "${prefix}" would match every key`, "pass the idempotency key prefix, e.g. --prefix idempotency:");

  const collection = flag("collection") ?? config?.document.collection;
  if (!collection) throw usageError("missing collection: the check needs the Firestore collection that holds the documents", "pass --collection NAME with --id-template '{key}' or --field PATH, or select an environment with an idempotency section");
  if (collection.includes("/") && collection.split("/").length % 2 === 0) throw usageError(`--collection "${collection}" is a document path, not a collection`);

  let idTemplate = flag("idTemplate");
  let field = flag("field");
  if (idTemplate !== undefined && field !== undefined) throw usageError("--id-template and --field are exclusive", "a key maps to a document either by its id or by a field");
  if (idTemplate === undefined && field === undefined) {
    idTemplate = config?.document.idTemplate;
    field = config?.document.field;
  }
  if (idTemplate === undefined && field === undefined) throw usageError("no key-to-document mapping", "pass --id-template '{key}' or --field metadata.platformMessageId");
  if (idTemplate !== undefined && !idTemplate.includes("{key}")) throw usageError(`--id-template "${idTemplate}" does not contain {key}`, "for example --id-template '{key}' or --id-template 'msg-{key}'");

  const valueFormat = flag("valueFormat") ?? config?.valueFormat ?? "plain";
  if (valueFormat !== "plain" && valueFormat !== "json") throw usageError(`--value-format must be plain or json, not "${valueFormat}"`);

  const schema: KeySchema = {
    prefix,
    valueFormat,
    statusField: flag("statusField") ?? config?.statusField ?? "status",
    timestampField: flag("valueTimestampField") ?? config?.timestampField ?? "ts",
    inProgressStatus: flag("inProgressStatus") ?? config?.inProgressStatus ?? "IN_PROGRESS",
    completedStatus: config?.completedStatus ?? "COMPLETED",
    ttlSeconds: positiveInt(flag("ttlPolicy"), "--ttl-policy") ?? config?.ttlSeconds ?? DEFAULTS.ttlSeconds,
    leaseSeconds: positiveInt(flag("lease"), "--lease") ?? config?.leaseSeconds ?? DEFAULTS.leaseSeconds,
    windowSeconds: positiveInt(flag("window"), "--window") ?? config?.windowSeconds ?? DEFAULTS.windowSeconds,
  };

  const urlText = flag("redisUrl") ?? env.OPSCTL_REDIS_URL ?? urlFromHostEnv(env.REDIS_HOST, env.REDIS_PORT, env.REDIS_TLS);
  if (!urlText) throw usageError("no Redis endpoint", "pass --redis-url redis://HOST:PORT (rediss:// for TLS), or set REDIS_HOST/REDIS_PORT as the Cloud Run job does");
  const primary = parseRedisUrl(urlText, "--redis-url");
  const useReplica = config?.useReadReplica ?? true;
  const replicaText = flag("redisReadUrl") ?? (useReplica ? urlFromHostEnv(env.REDIS_READ_HOST, env.REDIS_READ_PORT, env.REDIS_TLS) : undefined);
  const replica = replicaText ? parseRedisUrl(replicaText, "--redis-read-url") : undefined;

  const caFile = flag("redisCa");
  let ca: Buffer | undefined;
  if (caFile) {
    try {
      ca = readFileSync(caFile);
    } catch (err) {
      throw usageError(`cannot read --redis-ca ${caFile}: ${(err as Error).message}`, "pass the Memorystore server CA certificate (gcloud redis instances describe ... --format='value(serverCaCerts[0].cert)')");
    }
  }

  const checkpointFile = flag("checkpoint") ?? flag("resume");
  return {
    schema,
    document: { collection, idTemplate, field, timestampField: flag("timestampField") ?? config?.document.timestampField ?? "createdAt", databaseId },
    primary,
    replica,
    caFile,
    ca,
    password: env.REDIS_PASSWORD || undefined,
    maxRate: positiveInt(flag("maxRate"), "--max-rate") ?? config?.maxRate ?? DEFAULTS.maxRate,
    scanCount: positiveInt(flag("scanCount"), "--scan-count") ?? 1000,
    concurrency: positiveInt(flag("concurrency"), "--concurrency") ?? 8,
    repair: booleanOption(options, "repair"),
    republishTopic: flag("republishTopic"),
    checkpointFile,
    resumeFile: flag("resume"),
    shard: resolveShard(flag("shard"), env),
  };
}

function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw usageError(`${name} must be a positive integer, not "${text}"`);
  return n;
}

function urlFromHostEnv(host: string | undefined, port: string | undefined, tls: string | undefined): string | undefined {
  if (!host) return undefined;
  return `${tls === "true" ? "rediss" : "redis"}://${host}:${port ?? "6379"}`;
}

/** redis://[user@]host:port[/db] or rediss://...; a password in the URL is refused (argv is not secret). */
export function parseRedisUrl(text: string, flagName: string): RedisEndpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`${flagName} "${text}" is not a URL`, "expected redis://HOST:PORT or rediss://HOST:PORT (TLS)");
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw usageError(`${flagName} "${url.protocol}//..." is not a Redis URL`, "expected redis://HOST:PORT or rediss://HOST:PORT (TLS)");
  if (url.password) throw usageError(`${flagName} must not contain a password: command lines are visible to every user of the machine`, "put the password in REDIS_PASSWORD instead");
  if (!url.hostname) throw usageError(`${flagName} "${text}" has no host`);
  const port = url.port ? Number(url.port) : 6379;
  const dbText = url.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw usageError(`${flagName}: "${dbText}" is not a database number`);
  const tls = url.protocol === "rediss:";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return { host, port, tls, username: url.username || undefined, db, display: `${url.protocol}//${url.host}${db ? `/${db}` : ""}` };
}
