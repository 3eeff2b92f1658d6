/**
 * The table from `from:` source names to Terraform expressions, built from the constructs that own
 * each attribute. Its keys are exactly `availableSources(config)` (config/env-contract.ts); a unit
 * test keeps the two in step.
 */
import { namesFor } from "../../config/naming.js";
import type { EnvironmentConfig } from "../../config/schema.js";
import type { DataStack } from "../stacks/data-stack.js";

export function baseSourceTable(config: EnvironmentConfig, data: DataStack): Map<string, string> {
  const names = namesFor(config);
  const table = new Map<string, string>([
    ["project.id", config.project.id],
    ["region", config.project.region],
    ["environment", config.environment],
    ["redis.host", data.redis.host],
    ["redis.port", data.redis.port],
    ["redis.tls", String(data.redis.tls)],
    ["firestore.database", data.firestore.databaseName],
  ]);
  if (config.redis.readReplicas > 0) {
    table.set("redis.readHost", data.redis.readHost);
    table.set("redis.readPort", data.redis.readPort);
  }
  for (const [name, bucket] of data.buckets) {
    table.set(`bucket.${name}.name`, bucket.name);
    table.set(`bucket.${name}.url`, bucket.url);
  }
  for (const [name, t] of Object.entries(config.topics)) {
    const topic = data.topics.get(name);
    if (!topic) continue;
    table.set(`topic.${name}.id`, topic.topic.id);
    table.set(`topic.${name}.name`, topic.topic.name);
    for (const sub of Object.keys(t.subscriptions)) {
      const pull = topic.subscriptions.get(names.subscription(sub));
      // Push subscriptions live in the services stack and point at service URLs; their ids are
      // known from config, which keeps a service that reads one from depending on it.
      table.set(`subscription.${sub}.id`, pull ? pull.subscription.id : `projects/${config.project.id}/subscriptions/${names.subscription(sub)}`);
      table.set(`subscription.${sub}.name`, pull ? pull.subscription.name : names.subscription(sub));
    }
  }
  return table;
}
