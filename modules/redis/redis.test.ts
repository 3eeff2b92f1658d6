import { describe, expect, it } from "vitest";
import { synthConstructs } from "../core/synth-json.js";
import { Redis, type RedisProps } from "./index.js";

const base: RedisProps = { name: "wa-dev-redis", region: "southamerica-east1", network: "projects/p/global/networks/vpc", reservedRangeName: "wa-dev-psa-range" };

describe("Redis", () => {
  it("defaults to AUTH, TLS (SERVER_AUTHENTICATION), volatile-lru and private service access", () => {
    const out = synthConstructs((s) => new Redis(s, "redis", base));
    expect(
      out.has("google_redis_instance", {
        auth_enabled: true,
        transit_encryption_mode: "SERVER_AUTHENTICATION",
        connect_mode: "PRIVATE_SERVICE_ACCESS",
        reserved_ip_range: "wa-dev-psa-range",
        redis_configs: { "maxmemory-policy": "volatile-lru" },
        tier: "BASIC",
      }),
    ).toBe(true);
  });

  it("GIVEN STANDARD_HA with a replica and RDB THEN read replicas, persistence and the maintenance window are set", () => {
    const out = synthConstructs((s) => new Redis(s, "redis", { ...base, tier: "STANDARD_HA", readReplicas: 1, persistence: "rdb", evictionPolicy: "allkeys-lru", maintenanceWindow: { day: "TUESDAY", hour: 3 } }));
    expect(out.has("google_redis_instance", { read_replicas_mode: "READ_REPLICAS_ENABLED", replica_count: 1, persistence_config: { persistence_mode: "RDB" }, redis_configs: { "maxmemory-policy": "allkeys-lru" } })).toBe(true);
    const [instance] = out.resources("google_redis_instance");
    expect(JSON.stringify(instance?.maintenance_policy)).toContain('"day":"TUESDAY"');
  });

  it("exposes host, port, CA certificate and an env map as references to the instance", () => {
    let env: Record<string, string> = {};
    let ca = "";
    synthConstructs((s) => {
      const r = new Redis(s, "redis", base);
      env = r.envVars;
      ca = r.serverCaCert;
    });
    expect(Object.keys(env).sort()).toEqual(["REDIS_HOST", "REDIS_PORT", "REDIS_TLS"]);
    expect(env.REDIS_HOST).toMatch(/TOKEN/);
    expect(ca).toMatch(/TOKEN/);
  });

  it("refuses read replicas on BASIC", () => {
    expect(() => synthConstructs((s) => new Redis(s, "redis", { ...base, readReplicas: 1 }))).toThrow(/STANDARD_HA/);
  });
});
