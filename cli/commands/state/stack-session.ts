/**
 * What `state doctor`, `state cleanup` and `state restore` share: which stacks, where their
 * synthesized directories are, a Terraform state client per stack, the timing flags, and the
 * doctor report itself (cleanup ends with one).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseDuration } from "../../core/backoff.js";
import { stringOption } from "../../core/command.js";
import { usageError } from "../../core/errors.js";
import { resolveTerraformBin, type StateEntry, stateEntries, TerraformStateClient } from "../../core/terraform.js";
import type { EnvironmentConfig } from "../../../config/schema.js";
import { findLeaks, findOrphans, type Leak, managingStack, type Orphan, type StackState } from "./find-drift.js";
import type { Timing } from "./network-api.js";
import { connectorOfRule, findObject, type Inventory, type ObjectKind } from "./network-inventory.js";
import { planNetworkTeardown } from "./plan-network-teardown.js";

/** Layered stacks (DESIGN.md): network → data → services. */
export const STACKS = ["network", "data", "services"] as const;
export const DEFAULT_STACKS_DIR = join("cdktf.out", "stacks");
export const VPC_RUNBOOK = "vpc-deletion-stuck";

export interface LoadedStack {
  stack: string;
  client: TerraformStateClient;
  serial: number;
  lineage: string;
  entries: StateEntry[];
}

export function stacksDir(options: Record<string, unknown>): string {
  return resolve(stringOption(options, "dir") ?? DEFAULT_STACKS_DIR);
}

/** The stacks to read: the one asked for (which must be synthesized), or every synthesized one. */
export function selectStacks(options: Record<string, unknown>): { selected: string[]; present: string[] } {
  const dir = stacksDir(options);
  const asked = stringOption(options, "stack");
  if (asked !== undefined && !(STACKS as readonly string[]).includes(asked)) {
    throw usageError(`unknown stack "${asked}"`, `stacks are ${STACKS.join(", ")}`);
  }
  const present = STACKS.filter((s) => existsSync(join(dir, s, "cdk.tf.json")));
  if (asked !== undefined) {
    if (!present.includes(asked as (typeof STACKS)[number])) {
      throw usageError(`stack "${asked}" has no synthesized output: ${join(dir, asked, "cdk.tf.json")} is missing`, "run `opsctl synth --env ENV` first, or pass --dir to the directory holding the synthesized stacks");
    }
    return { selected: [asked], present };
  }
  if (present.length === 0) throw usageError(`no synthesized stacks under ${dir}`, "run `opsctl synth --env ENV` first, or pass --dir to the directory holding the synthesized stacks");
  return { selected: present, present };
}

export async function loadStacks(names: string[], options: Record<string, unknown>): Promise<LoadedStack[]> {
  const bin = resolveTerraformBin(stringOption(options, "terraformBin"));
  const dir = stacksDir(options);
  const out: LoadedStack[] = [];
  for (const stack of names) {
    const client = TerraformStateClient.forStack(stack, join(dir, stack), bin);
    const state = await client.pull();
    out.push({ stack, client, serial: state.serial, lineage: state.lineage, entries: stateEntries(state) });
  }
  return out;
}

function durationOption(options: Record<string, unknown>, name: string, flag: string, fallback: string): number {
  const text = stringOption(options, name) ?? fallback;
  const ms = parseDuration(text);
  if (ms === undefined) throw usageError(`${flag} ${text}: expected a duration such as 500ms, 30s, 10m`);
  return ms;
}

export function timingFromOptions(options: Record<string, unknown>, signal: AbortSignal): Timing {
  return {
    inUseDeadlineMs: durationOption(options, "inUseDeadline", "--in-use-deadline", "15m"),
    aetTimeoutMs: durationOption(options, "aetTimeout", "--aet-timeout", "10m"),
    pollIntervalMs: durationOption(options, "pollInterval", "--poll-interval", "5s"),
    operationDeadlineMs: durationOption(options, "operationTimeout", "--operation-timeout", "30m"),
    signal,
  };
}

export function ourMarks(config: EnvironmentConfig): { labels: Record<string, string>; namePrefix: string } {
  return { labels: config.labels, namePrefix: config.namePrefix };
}

/** Networks a stack's state manages, plus the one named with --network. */
export function networksOf(stack: LoadedStack | undefined, flag: string | undefined): string[] {
  const fromState = (stack?.entries ?? []).filter((e) => e.type === "google_compute_network").map((e) => String(e.attributes.name ?? ""));
  return [...new Set([...(flag ? [flag] : []), ...fromState.filter(Boolean)])];
}

export interface Blocker {
  kind: ObjectKind;
  name: string;
  resource: string;
  /** stack whose state manages it; absent: nobody (a leak, or something Google left behind) */
  managedBy?: string;
  fix: string;
  command: string;
}

export interface NetworkReport {
  network: string;
  exists: boolean;
  blockers: Blocker[];
}

export interface StackReport {
  stack: string;
  dir: string;
  serial: number;
  lineage: string;
  entries: number;
  orphans: Orphan[];
  networks: NetworkReport[];
}

export interface DoctorReport {
  project: string;
  region: string;
  stacks: StackReport[];
  leaks: Leak[];
  /** orphans + leaks + blockers no state manages */
  problems: number;
}

function aetOwner(states: StackState[], inventory: Inventory, rule: string): string | undefined {
  const connector = connectorOfRule(inventory, rule);
  const object = connector ? findObject(inventory, "connector", connector) : undefined;
  return object ? managingStack(states, object) : undefined;
}

export function buildDoctorReport(selected: LoadedStack[], all: LoadedStack[], inventory: Inventory, config: EnvironmentConfig, networkFlag: string | undefined): DoctorReport {
  const allStates: StackState[] = all.map((s) => ({ stack: s.stack, entries: s.entries }));
  const leaks = findLeaks(allStates, inventory, ourMarks(config));
  const stacks: StackReport[] = selected.map((s) => {
    const orphans = findOrphans([{ stack: s.stack, entries: s.entries }], inventory);
    const networks = networksOf(s, s.stack === "network" || selected.length === 1 ? networkFlag : undefined).map((network) => ({
      network,
      exists: findObject(inventory, "network", network) !== undefined,
      blockers: planNetworkTeardown(inventory, network, { includeNetwork: false }).map((step) => ({
        kind: step.object.kind,
        name: step.object.name,
        resource: step.object.resource,
        // A live connector's aet-* rules belong to it: whoever manages the connector manages them.
        managedBy: managingStack(allStates, step.object) ?? aetOwner(allStates, inventory, step.object.name),
        fix: step.description,
        command: step.command,
      })),
    }));
    return { stack: s.stack, dir: s.client.stackDir, serial: s.serial, lineage: s.lineage, entries: s.entries.length, orphans, networks };
  });
  const unmanaged = stacks.flatMap((s) => s.networks.flatMap((n) => n.blockers.filter((b) => b.managedBy === undefined)));
  // A leak that also blocks a network is one problem, not two.
  const leaked = new Set(leaks.map((l) => `${l.kind}/${l.name}`));
  const blocking = new Set(unmanaged.map((b) => `${b.kind}/${b.name}`).filter((k) => !leaked.has(k)));
  const problems = stacks.reduce((n, s) => n + s.orphans.length, 0) + leaks.length + blocking.size;
  return { project: inventory.project, region: inventory.region, stacks, leaks, problems };
}

export function renderDoctorReport(report: DoctorReport, env: string | undefined): string {
  const lines: string[] = [];
  const envFlag = env ? ` --env ${env}` : "";
  for (const s of report.stacks) {
    lines.push(`stack ${s.stack} (${s.entries} state entries, serial ${s.serial}; ${s.dir})`);
    if (s.orphans.length === 0) lines.push("  orphans: none");
    else {
      lines.push("  orphans (state entries whose object no longer exists):");
      for (const o of s.orphans) lines.push(`    ${o.address}  (${o.kind} ${o.name})  fix: opsctl state cleanup${envFlag} --stack ${s.stack}`);
    }
    for (const n of s.networks) {
      if (!n.exists) {
        lines.push(`  network ${n.network}: does not exist in the project`);
        continue;
      }
      if (n.blockers.length === 0) {
        lines.push(`  network ${n.network}: nothing else uses it`);
        continue;
      }
      lines.push(`  network ${n.network} is used by (each blocks its deletion):`);
      for (const b of n.blockers) {
        const who = b.managedBy ? `managed by stack ${b.managedBy}` : "NOT in any state";
        lines.push(`    - ${b.kind} ${b.name} [${who}]`);
        lines.push(`        fix: ${b.fix}`);
        lines.push(`        by hand: ${b.command}`);
      }
    }
  }
  if (report.leaks.length === 0) lines.push("leaks: none");
  else {
    lines.push("leaks (objects with our labels or name prefix that no state knows):");
    for (const l of report.leaks) lines.push(`  - ${l.kind} ${l.name} (${l.resource})`);
  }
  lines.push(report.problems === 0 ? "✓ state and project agree" : `✗ ${report.problems} problem(s); see runbooks/${VPC_RUNBOOK}.md and runbooks/terraform-state-drift.md`);
  return lines.join("\n");
}
