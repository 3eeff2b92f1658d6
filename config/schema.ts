/**
 * The environment document: one validated object per environment, read by cdktf/ and cli/.
 * Types are inferred from this schema (no hand-written interfaces). Units are in the field names
 * or documented; every default is here so `opsctl config show` prints the resolved document.
 */
import { z } from "zod";

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "expected an IPv4 CIDR such as 10.8.0.0/28");
const resourceName = z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, "expected a lowercase resource name (a-z, 0-9, -; starts with a letter)");
const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, "expected a duration such as 30s, 2m, 24h, 7d");

/** Where an env var's value comes from: a resource attribute, a Secret Manager reference, or a literal. */
export const envSourceSchema = z.union([
  z.strictObject({
    from: z.string().min(1).describe("attribute of a resource this toolkit owns, e.g. redis.host, bucket.media.name, topic.audit-events.id, project.id"),
  }),
  z.strictObject({
    secret: z.string().min(1).describe("key of a secret under `secrets`"),
    version: z.string().regex(/^(latest|\d+)$/, 'expected "latest" or a version number').default("latest"),
  }),
  z.strictObject({
    value: z.string().describe("plain literal; refused when the name or value looks like a secret"),
  }),
]);

const probeSchema = z.strictObject({
  path: z.string().startsWith("/").default("/healthz"),
  initialDelaySeconds: z.number().int().min(0).max(240).default(0),
  periodSeconds: z.number().int().min(1).max(240).default(10),
  timeoutSeconds: z.number().int().min(1).max(240).default(3),
  failureThreshold: z.number().int().min(1).max(100).default(3),
});

const healthCheckSchema = z.strictObject({
  path: z.string().startsWith("/").default("/healthz"),
  expectStatus: z.number().int().min(100).max(599).default(200),
  /** optional `field=value` check on a JSON body, e.g. `status=ok` */
  jsonField: z.string().optional(),
  attempts: z.number().int().min(1).max(50).default(3),
  timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
});

const deploySchema = z.strictObject({
  /** traffic percentages of the canary, ending at 100 */
  steps: z.array(z.number().int().min(1).max(100)).min(1).default([10, 50, 100]),
  bake: duration.default("2m"),
  readyTimeout: duration.default("5m"),
  candidateTag: resourceName.default("candidate"),
  /** fraction of failed probes during a bake that fails the gate */
  maxErrorRate: z.number().min(0).max(1).default(0.01),
  maxP95Ms: z.number().int().min(1).default(2_000),
});

export const serviceSchema = z.strictObject({
  image: z.string().min(1),
  /** public = allUsers may invoke (the webhook Meta calls); internal services require IAM */
  public: z.boolean().default(false),
  ingress: z.enum(["all", "internal", "internal-and-cloud-load-balancing"]).default("internal"),
  /** why ingress "all" is needed; required by the ingress-all rule */
  ingressReason: z.string().optional(),
  cpu: z.string().regex(/^\d+(\.\d+)?$|^\d+m$/).default("1"),
  memory: z.string().regex(/^\d+(Mi|Gi)$/).default("512Mi"),
  minInstances: z.number().int().min(0).default(0),
  maxInstances: z.number().int().min(1).default(10),
  concurrency: z.number().int().min(1).max(1000).default(80),
  timeoutSeconds: z.number().int().min(1).max(3600).default(300),
  deletionProtection: z.boolean().default(true),
  startupProbe: probeSchema.default(probeSchema.parse({})),
  livenessProbe: probeSchema.optional(),
  health: healthCheckSchema.default(healthCheckSchema.parse({})),
  deploy: deploySchema.default(deploySchema.parse({})),
  /** the env contract: every variable the service reads, by source */
  env: z.record(z.string(), envSourceSchema).default({}),
  /** variables the application cannot start without; synth fails if one is not wired */
  requiredEnv: z.array(z.string()).default([]),
  /** topics it publishes to / subscriptions it pulls, for least-privilege IAM beyond what env implies */
  publishes: z.array(z.string()).default([]),
  buckets: z.array(z.string()).default([]),
});

export const jobSchema = z.strictObject({
  image: z.string().min(1),
  args: z.array(z.string()).default([]),
  taskCount: z.number().int().min(1).max(10_000).default(1),
  parallelism: z.number().int().min(0).default(0),
  cpu: z.string().default("1"),
  memory: z.string().regex(/^\d+(Mi|Gi)$/).default("512Mi"),
  timeoutSeconds: z.number().int().min(1).max(86_400).default(3_600),
  maxRetries: z.number().int().min(0).max(10).default(1),
  env: z.record(z.string(), envSourceSchema).default({}),
  requiredEnv: z.array(z.string()).default([]),
  /** project roles the job needs beyond what its env contract implies (opsctl's own jobs read
   * Secret Manager metadata or Cloud Run state), e.g. roles/secretmanager.viewer */
  projectRoles: z.array(z.string().regex(/^roles\/[A-Za-z0-9_.]+$/, "expected a role such as roles/secretmanager.viewer")).default([]),
});

const subscriptionSchema = z.strictObject({
  ackDeadlineSeconds: z.number().int().min(10).max(600).default(60),
  /** push to a service of this document (path appended to its URL); pull when absent */
  push: z.strictObject({ service: z.string(), path: z.string().startsWith("/").default("/") }).optional(),
  /** every subscription dead-letters: a poison message must not be retried forever */
  deadLetter: z.strictObject({
    /** defaults to `<topic>-dlq` */
    topic: resourceName.optional(),
    maxDeliveryAttempts: z.number().int().min(5).max(100).default(5),
  }),
  retry: z
    .strictObject({ minimumBackoff: duration.default("10s"), maximumBackoff: duration.default("600s") })
    .default({ minimumBackoff: "10s", maximumBackoff: "600s" }),
  messageRetention: duration.default("7d"),
  enableMessageOrdering: z.boolean().default(false),
});

const topicSchema = z.strictObject({
  messageRetention: duration.default("7d"),
  subscriptions: z.record(resourceName, subscriptionSchema).default({}),
});

const bucketSchema = z.strictObject({
  location: z.string().optional(),
  /** objects are deleted this many days after creation (lifecycle rule); 0 keeps them */
  retentionDays: z.number().int().min(0).default(0),
  versioning: z.boolean().default(false),
  softDeleteDays: z.number().int().min(0).max(90).default(7),
  /** public access is never allowed; kept as a field so a request for it fails loudly */
  public: z.literal(false).default(false),
  cors: z
    .array(
      z.strictObject({
        origins: z.array(z.string()).min(1),
        methods: z.array(z.string()).min(1),
        responseHeaders: z.array(z.string()).default([]),
        maxAgeSeconds: z.number().int().default(3600),
      }),
    )
    .default([]),
  /** signed URLs are served from this bucket (exports): the runtime SA needs token creator */
  signedUrls: z.boolean().default(false),
});

const secretSchema = z.strictObject({
  description: z.string().optional(),
  /** rotation period in days; absent = not rotated on a schedule */
  rotationDays: z.number().int().min(1).max(3650).optional(),
  /** how `opsctl secrets rotate` makes a new value when none is given */
  provider: z.enum(["manual", "random", "hex", "base64", "rsa", "meta-token"]).default("manual"),
  /** bytes for random/hex/base64; modulus bits for rsa */
  size: z.number().int().min(8).max(8192).optional(),
  /** hours a replaced version stays enabled (consumers drain) before prune disables it */
  graceHours: z.number().int().min(0).default(24),
  /** how many disabled versions to keep before prune destroys older ones */
  retainVersions: z.number().int().min(1).default(3),
  /** delayed destruction window (Secret Manager version_destroy_ttl) in days */
  versionDestroyTtlDays: z.number().int().min(0).max(30).default(7),
  /** default `--verify` of `opsctl secrets rotate` (scheduled rotation): http:URL, redis or cloudrun */
  verify: z.string().regex(/^(http:https?:\/\/.+|redis|cloudrun)$/, "expected http:URL, redis or cloudrun").optional(),
  /** provider meta-token: the Graph API token exchange (fb_exchange_token) */
  meta: z
    .strictObject({
      /** Meta app id (not secret) */
      appId: z.string().regex(/^\d+$/, "expected the numeric Meta app id"),
      /** key of the secret under `secrets` holding the Meta app secret */
      appSecretFrom: z.string().min(1),
      graphApiBaseUrl: z.string().regex(/^https?:\/\/[^\s]+$/, "expected an http(s) URL").default("https://graph.facebook.com"),
      graphApiVersion: z.string().regex(/^v\d+\.\d+$/, "expected a Graph API version such as v24.0").default("v24.0"),
    })
    .optional(),
});

const firestoreIndexSchema = z.strictObject({
  collection: z.string().min(1),
  queryScope: z.enum(["COLLECTION", "COLLECTION_GROUP"]).default("COLLECTION"),
  fields: z
    .array(
      z.strictObject({
        path: z.string().min(1),
        order: z.enum(["ASCENDING", "DESCENDING"]).optional(),
        arrayConfig: z.literal("CONTAINS").optional(),
      }),
    )
    .min(2, "a composite index needs at least two fields"),
});

const idempotencySchema = z.strictObject({
  keyPrefix: z.string().min(1).default("idempotency:"),
  valueFormat: z.enum(["plain", "json"]).default("plain"),
  /** JSON value fields (valueFormat json) */
  statusField: z.string().default("status"),
  timestampField: z.string().default("ts"),
  inProgressStatus: z.string().default("IN_PROGRESS"),
  completedStatus: z.string().default("COMPLETED"),
  /** policy TTL of a key, seconds */
  ttlSeconds: z.number().int().min(1).default(86_400),
  /** an IN_PROGRESS key older than this is stuck, seconds */
  leaseSeconds: z.number().int().min(1).default(300),
  /** dedupe window for documents whose key must exist, seconds */
  windowSeconds: z.number().int().min(1).default(86_400),
  document: z.strictObject({
    collection: z.string().min(1),
    /** document id from the key (without prefix), e.g. "{key}"; exclusive with field */
    idTemplate: z.string().optional(),
    /** document field holding the key, e.g. metadata.platformMessageId; exclusive with idTemplate */
    field: z.string().optional(),
    /** document creation time field, for the dedupe-window reverse check */
    timestampField: z.string().default("createdAt"),
  }),
  /** throttle for SCAN and Firestore reads, keys per second */
  maxRate: z.number().int().min(1).default(5_000),
  /** audit reads go to the read replica when the Redis has one */
  useReadReplica: z.boolean().default(true),
});

/** Where alerts go. Secret values never appear here: a webhook names the secret holding its password. */
export const notificationChannelSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("email"), address: z.email() }),
  z.strictObject({
    type: z.literal("pubsub"),
    /** a topic of `topics` (key) or a full name projects/P/topics/T */
    topic: z.string().min(1),
  }),
  z.strictObject({
    type: z.literal("webhook"),
    url: z.url({ protocol: /^https$/ }),
    /** key of a secret under `secrets` holding the HTTP basic-auth password; absent = token in the URL */
    authTokenSecret: z.string().optional(),
    username: z.string().min(1).default("opsctl"),
  }),
]);

const alertThresholdsSchema = z.strictObject({
  /** idempotency inconsistencies found per hour above which the alert fires */
  idempotencyInconsistenciesPerHour: z.number().int().min(0).default(10),
  /** Redis connection errors (ECONNREFUSED) per 5 minutes tolerated per service */
  redisConnectionErrorsPer5m: z.number().int().min(0).default(0),
  /** Firestore ABORTED/409 contention errors per 5 minutes tolerated per service */
  firestoreContentionPer5m: z.number().int().min(0).default(20),
  /** fraction of 5xx responses over 5 minutes, per service */
  http5xxRatio: z.number().min(0).max(1).default(0.05),
  /** p95 request latency over 5 minutes, per service, milliseconds */
  latencyP95Ms: z.number().int().min(1).default(2_000),
  /** p99 latency of public (webhook) services above which Meta times out and redelivers, milliseconds */
  webhookRetryLatencyMs: z.number().int().min(1).default(10_000),
  /** undelivered messages tolerated in a dead-letter subscription */
  dlqBacklogMessages: z.number().int().min(0).default(0),
  /** age of the oldest unacked dead-lettered message, seconds */
  dlqOldestUnackedSeconds: z.number().int().min(60).default(3_600),
  /** days past a secret's rotationDays before `opsctl secrets list` reports it overdue */
  rotationGraceDays: z.number().int().min(0).default(3),
});

const monitoringSchema = z.strictObject({
  /** create the log-based metrics, alert policies, channels and dashboard */
  enabled: z.boolean().default(true),
  /** alert documentation links to `<runbookBaseUrl>/runbooks/<name>.md` */
  runbookBaseUrl: z.url().default("https://github.com/opsctl/opsctl/blob/main"),
  notificationChannels: z.record(resourceName, notificationChannelSchema).default({}),
  thresholds: alertThresholdsSchema.default(alertThresholdsSchema.parse({})),
  /**
   * monitored resource type of opsctl's log entries (alert conditions must name one): the scheduled
   * checks run as Cloud Run Jobs; deploys wherever CI runs (Cloud Build: "build")
   */
  opsctlLogResources: z
    .strictObject({
      jobs: z.string().regex(/^[a-z][a-z_]*$/).default("cloud_run_job"),
      deploys: z.string().regex(/^[a-z][a-z_]*$/).default("build"),
    })
    .default({ jobs: "cloud_run_job", deploys: "build" }),
});

export const environmentSchema = z.strictObject({
  /** environment name; must match the file name */
  environment: resourceName,
  /** stage drives policy strictness: prod rules are errors, elsewhere some are warnings */
  stage: z.enum(["dev", "staging", "prod"]),
  project: z.strictObject({
    id: z.string().regex(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/, "expected a GCP project id (6-30 chars, lowercase)"),
    region: z.string().regex(/^[a-z]+-[a-z]+\d$/, "expected a region such as southamerica-east1"),
  }),
  /** prefix of every physical name (kept short: GCP names are 63 chars at most, connectors 25) */
  namePrefix: z.string().regex(/^[a-z][a-z0-9-]{0,11}$/, "expected 1-12 chars of a-z 0-9 -, starting with a letter"),
  labels: z.record(z.string(), z.string()).default({}),
  backend: z
    .discriminatedUnion("type", [
      z.strictObject({ type: z.literal("gcs"), bucket: z.string().min(3), prefix: z.string().default("opsctl") }),
      z.strictObject({ type: z.literal("local"), dir: z.string().default("terraform-state") }),
    ])
    .default({ type: "local", dir: "terraform-state" }),
  network: z.strictObject({
    subnetCidr: cidr,
    /** private service access range for Memorystore (producer services) */
    privateServiceRange: cidr,
    egress: z.enum(["connector", "direct"]).default("connector"),
    connector: z
      .strictObject({
        cidr: cidr.refine((c) => c.endsWith("/28"), "a serverless VPC access connector needs a /28"),
        machineType: z.enum(["f1-micro", "e2-micro", "e2-standard-4"]).default("e2-micro"),
        minInstances: z.number().int().min(2).max(9).default(2),
        maxInstances: z.number().int().min(3).max(10).default(3),
      })
      .optional(),
  }),
  redis: z.strictObject({
    tier: z.enum(["BASIC", "STANDARD_HA"]).default("BASIC"),
    memorySizeGb: z.number().int().min(1).max(300).default(1),
    version: z.enum(["REDIS_6_X", "REDIS_7_0", "REDIS_7_2"]).default("REDIS_7_2"),
    authEnabled: z.boolean().default(true),
    /** SERVER_AUTHENTICATION (TLS) when true */
    transitEncryption: z.boolean().default(true),
    evictionPolicy: z.enum(["volatile-lru", "allkeys-lru", "volatile-ttl", "noeviction"]).default("volatile-lru"),
    maintenanceWindow: z
      .strictObject({
        day: z.enum(["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]),
        hour: z.number().int().min(0).max(23),
      })
      .default({ day: "SUNDAY", hour: 4 }),
    persistence: z.enum(["none", "rdb"]).default("none"),
    /** read replicas (STANDARD_HA only); the idempotency audit reads from them */
    readReplicas: z.number().int().min(0).max(5).default(0),
  }),
  firestore: z.strictObject({
    databaseId: z.string().default("(default)"),
    location: z.string().min(1),
    pointInTimeRecovery: z.boolean().default(false),
    deleteProtection: z.boolean().default(true),
    collections: z.array(z.string().min(1)).default([]),
    indexes: z.array(firestoreIndexSchema).default([]),
    /** TTL field policies: documents are deleted after the timestamp in `field` */
    ttl: z.array(z.strictObject({ collection: z.string(), field: z.string() })).default([]),
  }),
  buckets: z.record(resourceName, bucketSchema).default({}),
  topics: z.record(resourceName, topicSchema).default({}),
  secrets: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,255}$/), secretSchema).default({}),
  services: z.record(resourceName, serviceSchema).default({}),
  jobs: z.record(resourceName, jobSchema).default({}),
  schedulerJobs: z
    .record(
      resourceName,
      z.strictObject({
        schedule: z.string().min(9, "expected a cron expression"),
        timeZone: z.string().default("Etc/UTC"),
        /** a Cloud Run job of this document, or a service path */
        target: z.union([
          z.strictObject({ job: z.string() }),
          z.strictObject({ service: z.string(), path: z.string().startsWith("/"), method: z.enum(["GET", "POST"]).default("POST") }),
        ]),
        description: z.string().optional(),
      }),
    )
    .default({}),
  idempotency: idempotencySchema.optional(),
  audit: z.strictObject({ collection: z.string().default("audit_logs") }).default({ collection: "audit_logs" }),
  /** alerting: notification channels, thresholds, runbook links (optional; defaults apply) */
  monitoring: monitoringSchema.default(monitoringSchema.parse({})),
});

export type EnvironmentInput = z.input<typeof environmentSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type JobConfig = z.output<typeof jobSchema>;
export type EnvSource = z.output<typeof envSourceSchema>;
export type IdempotencyConfig = z.output<typeof idempotencySchema>;
export type MonitoringConfig = z.output<typeof monitoringSchema>;
export type NotificationChannelConfig = z.output<typeof notificationChannelSchema>;
export type SecretConfig = z.output<typeof secretSchema>;
