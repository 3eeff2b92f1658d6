/** What every `opsctl secrets` command opens: the environment, Secret Manager, the audit log. */
import type { EnvironmentConfig, SecretConfig } from "../../config/schema.js";
import { didYouMean } from "../../config/did-you-mean.js";
import type { CommandContext } from "../core/context.js";
import { usageError } from "../core/errors.js";
import { type AuditLog, openAuditLog } from "./audit-log.js";
import { SecretStore } from "./secret-store.js";

export interface SecretsSession {
  config: EnvironmentConfig;
  projectId: string;
  store: SecretStore;
  /** opened on first use: read-only commands never touch Firestore */
  audit(): Promise<AuditLog>;
  close(): Promise<void>;
}

export async function openSecretsSession(ctx: CommandContext, env: NodeJS.ProcessEnv = process.env): Promise<SecretsSession> {
  const config = await ctx.loadConfig();
  const projectId = ctx.projectId(config);
  const store = await SecretStore.open(projectId, env);
  let audit: Promise<AuditLog> | undefined;
  return {
    config,
    projectId,
    store,
    audit: () => {
      audit ??= openAuditLog({ projectId, databaseId: config.firestore.databaseId, collection: config.audit.collection, environment: config.environment, command: ctx.command, env });
      return audit;
    },
    async close() {
      await store.close().catch(() => undefined);
      if (audit) await (await audit).close().catch(() => undefined);
    },
  };
}

export function secretConfig(config: EnvironmentConfig, id: string): SecretConfig {
  const s = config.secrets[id];
  if (!s) throw usageError(`secret ${JSON.stringify(id)} is not declared under secrets in the ${config.environment} environment${didYouMean(id, Object.keys(config.secrets))}`, `declared: ${Object.keys(config.secrets).join(", ") || "none"}`);
  return s;
}
