/**
 * The audit trail of secret operations: one Firestore document per step in the environment's audit
 * collection (config.audit.collection, `audit_logs`): who, when, which secret and version, which
 * step and how it ended. Never the value: the record type has no field that could hold one.
 */
import { hostname, userInfo } from "node:os";
import { remoteError } from "../core/errors.js";
import { firestoreClient } from "../core/google-clients.js";

export type AuditStep = "create" | "set" | "test" | "roll" | "finish" | "abort" | "rollback" | "disable" | "destroy" | "enable" | "restore-latest";

export interface AuditEntry {
  secret: string;
  version: number | undefined;
  step: AuditStep;
  outcome: "ok" | "failed" | "skipped";
  detail?: string;
}

export interface AuditRecord extends AuditEntry {
  kind: "secret";
  actor: string;
  at: Date;
  environment: string;
  project: string;
  command: string;
}

/** Who is acting: an explicit OPSCTL_ACTOR, the Cloud Run job execution, or user@host. */
export function actorFrom(env: NodeJS.ProcessEnv): string {
  if (env.OPSCTL_ACTOR) return env.OPSCTL_ACTOR;
  if (env.CLOUD_RUN_JOB) return `cloud-run-job:${env.CLOUD_RUN_JOB}${env.CLOUD_RUN_EXECUTION ? `/${env.CLOUD_RUN_EXECUTION}` : ""}`;
  let user = env.USER ?? "unknown";
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return `${user}@${hostname()}`;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  readonly records: AuditRecord[];
  close(): Promise<void>;
}

export async function openAuditLog(init: { projectId: string; databaseId: string; collection: string; environment: string; command: string; env: NodeJS.ProcessEnv }): Promise<AuditLog> {
  const db = await firestoreClient(init.projectId, init.databaseId);
  const actor = actorFrom(init.env);
  const records: AuditRecord[] = [];
  return {
    records,
    async record(entry) {
      const rec: AuditRecord = { kind: "secret", actor, at: new Date(), environment: init.environment, project: init.projectId, command: init.command, ...entry };
      try {
        await db.collection(init.collection).add({ ...rec, version: rec.version ?? null });
      } catch (err) {
        throw remoteError(`write the audit record (${entry.step} of ${entry.secret}) to Firestore ${init.collection}`, err, {
          hint: "the step itself was done; re-run the same command: it resumes from the secret's annotations and records again",
          runbook: "secret-rotation",
        });
      }
      records.push(rec);
    },
    close: () => db.terminate(),
  };
}
