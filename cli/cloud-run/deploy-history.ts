/**
 * Deploy and rollback history in Firestore (`audit.collection`, default audit_logs): one document
 * per deploy or rollback — when, who, image, revision, outcome, reason, the split before and after.
 *
 * Document ids are `deploy_<environment>_<service>_<16 digits: 10^16 - epoch ms>_<random>`, so the history of one
 * service is a range of document ids and ascending id order is newest first (Firestore refuses
 * descending key scans). That query needs no composite index (a `where service == X orderBy at
 * desc` would, and the emulator would not notice it was missing).
 */
import { randomBytes } from "node:crypto";
import { userInfo } from "node:os";
import type { EnvironmentConfig } from "../../config/schema.js";
import { findAdc, firestoreClient } from "../core/google-clients.js";
import type { SplitEntry } from "./model.js";

export type DeployAction = "deploy" | "rollback";
export type DeployOutcome = "succeeded" | "rolled-back" | "interrupted" | "failed" | "unchanged";

export interface DeployRecord {
  kind: "deploy-history";
  action: DeployAction;
  environment: string;
  /** config key of the service, e.g. webhook */
  service: string;
  at: string;
  who: string;
  image?: string;
  /** the revision deployed or rolled back to */
  revision: string;
  outcome: DeployOutcome;
  reason?: string;
  before: SplitEntry[];
  after: SplitEntry[];
}

export function whoAmI(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OPSCTL_ACTOR) return env.OPSCTL_ACTOR;
  if (env.GITHUB_ACTOR) return `github:${env.GITHUB_ACTOR}`;
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? "unknown";
  }
}

/**
 * Fail fast and cleanly without credentials: the Firestore client would otherwise reject from a
 * background stub creation that no caller awaits, which crashes the process.
 */
async function openDb(config: EnvironmentConfig, projectId: string) {
  if (!process.env.FIRESTORE_EMULATOR_HOST && !(await findAdc()).found) {
    throw new Error("no Application Default Credentials for Firestore (run `gcloud auth application-default login`, or set FIRESTORE_EMULATOR_HOST)");
  }
  return firestoreClient(projectId, config.firestore.databaseId);
}

const prefix = (environment: string, service: string) => `deploy_${environment}_${service}_`;

export async function recordDeploy(config: EnvironmentConfig, projectId: string, record: Omit<DeployRecord, "kind">): Promise<string> {
  const db = await openDb(config, projectId);
  try {
    const id = `${prefix(record.environment, record.service)}${String(1e16 - Date.parse(record.at)).padStart(16, "0")}_${randomBytes(3).toString("hex")}`;
    await db.collection(config.audit.collection).doc(id).set({ kind: "deploy-history", ...record });
    return id;
  } finally {
    await db.terminate();
  }
}

/** Newest first. */
export async function listDeploys(config: EnvironmentConfig, projectId: string, service: string, limit = 20): Promise<DeployRecord[]> {
  const { FieldPath } = await import("@google-cloud/firestore");
  const db = await openDb(config, projectId);
  try {
    const snap = await db
      .collection(config.audit.collection)
      .where(FieldPath.documentId(), ">=", prefix(config.environment, service))
      .where(FieldPath.documentId(), "<", `${prefix(config.environment, service)}~`)
      .orderBy(FieldPath.documentId(), "asc")
      .limit(limit)
      .get();
    return snap.docs.map((d) => d.data() as DeployRecord).filter((r) => r.kind === "deploy-history");
  } finally {
    await db.terminate();
  }
}

/**
 * Default rollback targets, best first: the revision that served 100% before each successful deploy,
 * newest deploy first. Rolling back twice is harmless: after a rollback the newest successful deploy
 * still names the same "before" revision, which is then already serving.
 */
export function rollbackCandidates(history: DeployRecord[]): string[] {
  const out: string[] = [];
  for (const r of history) {
    if (r.action !== "deploy" || r.outcome !== "succeeded") continue;
    for (const s of r.before) if (s.percent === 100 && !out.includes(s.revision)) out.push(s.revision);
  }
  return out;
}
