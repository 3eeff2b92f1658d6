/**
 * Memorystore for Redis. Outputs what callers need: host, port, the server CA certificate and an
 * env map, so services read REDIS_HOST/REDIS_PORT from the instance (seed 000: the app defaulted
 * REDIS_HOST to localhost because Terraform never passed it).
 */
import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance/index.js";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { validateProps } from "../core/validate-props.js";

export type RedisTier = "BASIC" | "STANDARD_HA";
export type EvictionPolicy = "volatile-lru" | "allkeys-lru" | "volatile-ttl" | "noeviction";

export interface RedisProps {
  /** instance name (from the naming helper) */
  readonly name: string;
  readonly region: string;
  /** VPC id the instance peers with */
  readonly network: string;
  /** name of the private service access range (take it from the peering so creation waits for it) */
  readonly reservedRangeName: string;
  /** @default "BASIC" */
  readonly tier?: RedisTier;
  /** GB, 1-300 @default 1 */
  readonly memorySizeGb?: number;
  /** @default "REDIS_7_2" */
  readonly version?: string;
  /** Redis AUTH @default true */
  readonly authEnabled?: boolean;
  /** in-transit encryption (SERVER_AUTHENTICATION) @default true */
  readonly transitEncryption?: boolean;
  /** `maxmemory-policy` @default "volatile-lru" (idempotency keys carry a TTL) */
  readonly evictionPolicy?: EvictionPolicy;
  /** weekly maintenance window, UTC @default SUNDAY 04:00 */
  readonly maintenanceWindow?: { readonly day: string; readonly hour: number };
  /** @default "none" */
  readonly persistence?: "none" | "rdb";
  /** read replicas, STANDARD_HA only, 0-5 @default 0 */
  readonly readReplicas?: number;
}

export class Redis extends Construct {
  readonly instance: RedisInstance;
  readonly tls: boolean;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const tier = props.tier ?? "BASIC";
    const memory = props.memorySizeGb ?? 1;
    const replicas = props.readReplicas ?? 0;
    const window = props.maintenanceWindow ?? { day: "SUNDAY", hour: 4 };
    validateProps(`Redis ${id}`, [
      [Number.isInteger(memory) && memory >= 1 && memory <= 300, `memorySizeGb ${memory} is outside 1-300`],
      [replicas >= 0 && replicas <= 5, `readReplicas ${replicas} is outside 0-5`],
      [replicas === 0 || tier === "STANDARD_HA", "read replicas need tier STANDARD_HA"],
      [window.hour >= 0 && window.hour <= 23, `maintenance hour ${window.hour} is outside 0-23`],
    ]);
    this.tls = props.transitEncryption ?? true;

    this.instance = new RedisInstance(this, "instance", {
      name: props.name,
      region: props.region,
      tier,
      memorySizeGb: memory,
      redisVersion: props.version ?? "REDIS_7_2",
      authorizedNetwork: props.network,
      connectMode: "PRIVATE_SERVICE_ACCESS",
      reservedIpRange: props.reservedRangeName,
      authEnabled: props.authEnabled ?? true,
      transitEncryptionMode: this.tls ? "SERVER_AUTHENTICATION" : "DISABLED",
      redisConfigs: { "maxmemory-policy": props.evictionPolicy ?? "volatile-lru" },
      maintenancePolicy: {
        weeklyMaintenanceWindow: [{ day: window.day, startTime: { hours: window.hour, minutes: 0, seconds: 0, nanos: 0 } }],
      },
      persistenceConfig: props.persistence === "rdb" ? { persistenceMode: "RDB", rdbSnapshotPeriod: "TWELVE_HOURS" } : { persistenceMode: "DISABLED" },
      ...(replicas > 0 ? { readReplicasMode: "READ_REPLICAS_ENABLED", replicaCount: replicas } : {}),
    });
  }

  get host(): string {
    return this.instance.host;
  }

  get port(): string {
    return Fn.tostring(this.instance.port);
  }

  get readHost(): string {
    return this.instance.readEndpoint;
  }

  get readPort(): string {
    return Fn.tostring(this.instance.readEndpointPort);
  }

  /** PEM of the server CA, for clients that verify TLS */
  get serverCaCert(): string {
    return this.instance.serverCaCerts.get(0).cert;
  }

  /** REDIS_HOST / REDIS_PORT / REDIS_TLS as a service expects them */
  get envVars(): Record<string, string> {
    return { REDIS_HOST: this.host, REDIS_PORT: this.port, REDIS_TLS: String(this.tls) };
  }
}
