/**
 * Connections for the audit: the primary (repairs and re-checks), the read endpoint (SCAN and the
 * bulk reads, a Memorystore read replica when one is configured), and for Redis Cluster one scan
 * source per master. A connection that drops is re-established by ioredis; `withRedisRetry` re-runs
 * the interrupted read, so a scan continues from its last cursor.
 */
import { isIP } from "node:net";
import type { Cluster, Redis } from "ioredis";
import { ExitCode } from "../../core/exit-codes.js";
import { errorMessage, OpsError } from "../../core/errors.js";
import type { Logger } from "../../core/output.js";
import type { CheckSettings, RedisEndpoint } from "./settings.js";
import { abortableSleep } from "./token-bucket.js";

export interface ScanSource {
  /** stable id for the checkpoint: host:port of the node */
  id: string;
  client: Redis;
  /** times the connection was re-established; the scan then checks whether the server restarted */
  reconnects: number;
}

function scanSource(id: string, client: Redis): ScanSource {
  const source = { id, client, reconnects: 0 };
  let first = client.status === "ready";
  client.on("ready", () => {
    if (first) source.reconnects += 1;
    first = true;
  });
  return source;
}

/** The server's run id: it changes when Redis restarts, and with it every SCAN cursor is void. */
export async function serverRunId(client: Redis): Promise<string> {
  const info = await client.info("server");
  return /run_id:(\w+)/.exec(info)?.[1] ?? "unknown";
}

export interface RedisTopology {
  mode: "standalone" | "cluster";
  /** repairs, re-checks and per-key commands (a Cluster routes each key to its master) */
  primary: Redis | Cluster;
  /** bulk reads for the document scan (EXISTS) */
  reader: Redis | Cluster;
  sources: ScanSource[];
  close(): Promise<void>;
}

const RUNBOOK = "idempotency-inconsistency";

/** How long a dropped connection may stay down before the run gives up (exit 3). */
const RECONNECT_BUDGET_MS = 60_000;

export async function connectRedis(settings: CheckSettings, log: Logger): Promise<RedisTopology> {
  const { Redis, Cluster } = await import("ioredis");
  const open: Array<Redis | Cluster> = [];
  const close = async () => {
    await Promise.allSettled(open.map((c) => c.quit().catch(() => c.disconnect())));
  };
  const standalone = async (endpoint: RedisEndpoint, role: string): Promise<Redis> => {
    let ready = false;
    const client = new Redis({
      ...connectionOptions(settings, endpoint),
      db: endpoint.db,
      lazyConnect: true,
      // Fail fast on the first connection (a wrong URL is an error, not a wait); after that, keep
      // reconnecting so a restart or failover mid-scan does not end the run.
      retryStrategy: (times) => (ready ? Math.min(100 * 2 ** Math.min(times, 5), 2_000) : null),
      maxRetriesPerRequest: 1,
    });
    client.on("ready", () => {
      if (ready) log.event("idempotency.redis_reconnected", { endpoint: endpoint.display, role }, "WARNING");
      ready = true;
    });
    let lastError: unknown;
    client.on("error", (err) => {
      // Surfaced by the failing command (with what was being done); kept for the connect error.
      lastError = err;
    });
    open.push(client);
    try {
      await client.connect();
    } catch (err) {
      await close();
      const why = lastError !== undefined && errorMessage(lastError) !== errorMessage(err) ? `${errorMessage(err)} (${errorMessage(lastError)})` : errorMessage(err);
      throw new OpsError(`cannot connect to Redis ${role} ${endpoint.display}: ${why}`, {
        code: "redis_unreachable",
        exitCode: ExitCode.remote,
        hint: "check the URL, REDIS_PASSWORD and network reachability (Memorystore is only reachable inside the VPC: run the Cloud Run job)",
        runbook: RUNBOOK,
        cause: err,
      });
    }
    return client;
  };

  const primary = await standalone(settings.primary, "primary");
  const info = await primary.info("cluster").catch(() => "");
  if (/cluster_enabled:1/.test(info)) {
    await primary.quit().catch(() => primary.disconnect());
    open.length = 0;
    const cluster = new Cluster([{ host: settings.primary.host, port: settings.primary.port }], {
      redisOptions: connectionOptions(settings, settings.primary),
      enableAutoPipelining: true,
      scaleReads: "master",
      lazyConnect: true,
      clusterRetryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
    });
    cluster.on("error", () => {});
    open.push(cluster);
    try {
      await cluster.connect();
    } catch (err) {
      await close();
      throw new OpsError(`cannot connect to Redis Cluster ${settings.primary.display}: ${errorMessage(err)}`, { code: "redis_unreachable", exitCode: ExitCode.remote, runbook: RUNBOOK, cause: err });
    }
    const masters = cluster.nodes("master");
    const sources = masters.map((node) => scanSource(`${node.options.host}:${node.options.port}`, node)).sort((a, b) => a.id.localeCompare(b.id));
    return { mode: "cluster", primary: cluster, reader: cluster, sources, close };
  }
  const reader = settings.replica ? await standalone(settings.replica, "read replica") : primary;
  return { mode: "standalone", primary, reader, sources: [scanSource(settings.replica?.display ?? settings.primary.display, reader)], close };
}

function connectionOptions(settings: CheckSettings, endpoint: RedisEndpoint) {
  return {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.username,
    password: settings.password,
    // SNI must not carry an IP address (RFC 6066); Memorystore is addressed by IP.
    tls: endpoint.tls ? { ca: settings.ca, ...(isIP(endpoint.host) ? {} : { servername: endpoint.host }) } : undefined,
    connectionName: "opsctl-idempotency-check",
    connectTimeout: 5_000,
    commandTimeout: 15_000,
  };
}

/** A ReplyError is Redis answering (WRONGTYPE, NOPERM, ...): retrying cannot help. */
function isConnectionFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "ReplyError") return false;
  return true;
}

/** Runs a read, and when the connection failed, waits for ioredis to reconnect and runs it again. */
export async function withRedisRetry<T>(what: string, signal: AbortSignal, log: Logger, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let delay = 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConnectionFailure(err) || signal.aborted) throw wrap(what, err);
      if (Date.now() - started > RECONNECT_BUDGET_MS) throw wrap(what, err, `Redis stayed unreachable for ${RECONNECT_BUDGET_MS / 1000} s`);
      if (attempt === 1) log.event("idempotency.redis_retry", { attempt: what, error: errorMessage(err) }, "WARNING");
      await abortableSleep(delay, signal);
      delay = Math.min(delay * 2, 2_000);
    }
  }
}

function wrap(what: string, err: unknown, extra?: string): OpsError {
  if (err instanceof OpsError) return err;
  return new OpsError(`${what} failed: ${errorMessage(err)}${extra ? ` (${extra})` : ""}`, {
    code: "redis_failed",
    exitCode: ExitCode.remote,
    hint: "re-run with --resume CHECKPOINT to continue from the last cursor",
    runbook: RUNBOOK,
    cause: err,
  });
}
