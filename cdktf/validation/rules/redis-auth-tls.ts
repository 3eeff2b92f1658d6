import type { ResourceRule, RuleInfo } from "../types.js";

export const info: RuleInfo = {
  id: "redis-auth-tls",
  cause: "Memorystore without AUTH or without in-transit encryption",
  explanation:
    "Anything inside the VPC can reach the instance; without AUTH it can read and delete the idempotency keys, without TLS the AUTH string crosses the network in clear. Set `redis.authEnabled: true` and `redis.transitEncryption: true` (transit_encryption_mode SERVER_AUTHENTICATION). Error in prod, warning elsewhere.",
  level: (stage) => (stage === "prod" ? "error" : "warning"),
  appliesTo: "google_redis_instance",
};

export const rule: ResourceRule = {
  info,
  scope: "resource",
  check(resource) {
    if (resource.type !== "google_redis_instance") return "NOT_APPLICABLE";
    const problems: string[] = [];
    if (resource.values.auth_enabled !== true) problems.push("auth_enabled is not true");
    if (resource.values.transit_encryption_mode !== "SERVER_AUTHENTICATION") problems.push(`transit_encryption_mode is ${JSON.stringify(resource.values.transit_encryption_mode ?? "DISABLED")}`);
    return problems.length === 0 ? "COMPLIANT" : { result: "NON_COMPLIANT", detail: problems.join("; ") };
  },
};
