/**
 * Compares what the code reads with what the env contract wires. Pure: the command does the I/O.
 */
import type { EnvSource } from "../../../config/schema.js";
import type { EnvRead } from "./source-readers.js";
import { nearName } from "./near-names.js";

/** Cloud Run sets these itself on every service instance / job task: reading them is fine. */
export const PLATFORM_ENV = new Set(["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION", "CLOUD_RUN_JOB", "CLOUD_RUN_EXECUTION", "CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_ATTEMPT", "CLOUD_RUN_TASK_COUNT"]);

export type VarStatus = "wired" | "not-wired" | "not-read" | "platform" | "read";

export interface ScannedVar {
  name: string;
  status: VarStatus;
  /** where the code reads it: file:line (via) */
  readAt: string[];
  /** workloads whose contract wires it */
  wiredIn: string[];
  /** a literal default in the code, when there is one */
  defaultValue?: string;
  hasDefault: boolean;
  didYouMean?: string;
  note?: string;
}

export interface Contract {
  /** workload name → env contract */
  workloads: Record<string, Record<string, EnvSource>>;
}

const LOCAL_DEFAULT = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|::1)(:\d+)?$/;

export function compareWithContract(reads: EnvRead[], contract: Contract | undefined): ScannedVar[] {
  const byName = new Map<string, EnvRead[]>();
  for (const r of reads) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const wiredIn = new Map<string, string[]>();
  for (const [workload, env] of Object.entries(contract?.workloads ?? {})) {
    for (const name of Object.keys(env)) wiredIn.set(name, [...(wiredIn.get(name) ?? []), workload]);
  }
  const out: ScannedVar[] = [];
  for (const [name, list] of byName) {
    const withDefault = list.find((r) => r.hasDefault);
    const readAt = [...new Set(list.map((r) => `${r.file}:${r.line} (${r.via})`))];
    const base = { name, readAt, wiredIn: wiredIn.get(name) ?? [], defaultValue: withDefault?.defaultValue, hasDefault: withDefault !== undefined };
    if (PLATFORM_ENV.has(name)) out.push({ ...base, status: "platform", note: "set by Cloud Run" });
    else if (!contract) out.push({ ...base, status: "read" });
    else if (base.wiredIn.length > 0) out.push({ ...base, status: "wired" });
    else {
      const didYouMean = nearName(name, wiredIn.keys());
      let note: string;
      if (base.defaultValue !== undefined && LOCAL_DEFAULT.test(base.defaultValue)) note = `falls back to "${base.defaultValue}" on Cloud Run: connection refused (runbooks/redis-connection-refused.md)`;
      else if (base.hasDefault) note = `falls back to the code's default${base.defaultValue !== undefined ? ` "${base.defaultValue}"` : ""} on Cloud Run`;
      else note = "unset on Cloud Run: the read fails or yields nothing (runbooks/missing-env-var.md)";
      if (didYouMean) note += `; the contract wires ${didYouMean}`;
      out.push({ ...base, status: "not-wired", didYouMean, note });
    }
  }
  for (const [name, workloads] of wiredIn) {
    if (!byName.has(name)) out.push({ name, status: "not-read", readAt: [], wiredIn: workloads, hasDefault: false, note: "wired but no code under the scanned directory reads it" });
  }
  const order: Record<VarStatus, number> = { "not-wired": 0, "not-read": 1, wired: 2, read: 2, platform: 3 };
  return out.sort((a, b) => order[a.status] - order[b.status] || a.name.localeCompare(b.name));
}
