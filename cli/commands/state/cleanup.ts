/**
 * `opsctl state cleanup`: finish a destroy that failed on a network (seed 000). Plans the teardown
 * of everything that still uses the network, asks, executes step by step (waiting out "in use" with
 * backoff), then backs up each affected state and removes the entries whose objects are gone, and
 * ends with a doctor run. Every run re-reads the project and the states, so re-running after a
 * failure or Ctrl-C continues where the last run stopped: done steps drop out of the plan, and a
 * deletion that was in flight is awaited (resourceNotReady is retried, 404 counts as done).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DeadlineExceeded, pollUntil } from "../../core/backoff.js";
import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import type { CommandContext } from "../../core/context.js";
import { errorMessage, isOpsError, OpsError, remoteError, usageError } from "../../core/errors.js";
import { ExitCode } from "../../core/exit-codes.js";
import { findOrphans, type Orphan } from "./find-drift.js";
import { connectNetworkApis, type DeleteOutcome, deleteObject, isInUse, type NetworkApis, readInventory, type Timing } from "./network-api.js";
import { type CloudObject, findObject, type Inventory, PSA_PEERING } from "./network-inventory.js";
import { planNetworkTeardown, type TeardownStep } from "./plan-network-teardown.js";
import { buildDoctorReport, type DoctorReport, type LoadedStack, loadStacks, networksOf, renderDoctorReport, selectStacks, stacksDir, timingFromOptions, VPC_RUNBOOK } from "./stack-session.js";

export interface StepResult {
  step: string;
  kind: string;
  name: string;
  outcome: DeleteOutcome | "removed-by-google" | "peering-removed" | "planned";
}

export interface StateBackup {
  stack: string;
  file: string;
  serial: number;
  removed: string[];
  restoreCommand: string;
}

export interface CleanupResult {
  dryRun: boolean;
  networks: string[];
  plan: { description: string; command: string }[];
  stateRemovals: { stack: string; addresses: string[]; commands: string[] }[];
  steps: StepResult[];
  backups: StateBackup[];
  doctor?: DoctorReport;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/** Orphans once the plan has run: today's orphans plus every entry whose object the plan deletes. */
function predictedRemovals(stacks: LoadedStack[], inventory: Inventory, plan: TeardownStep[]): Map<string, string[]> {
  const deleted: Inventory = { ...inventory, objects: inventory.objects.filter((o) => !plan.some((s) => s.object === o)) };
  const orphans = findOrphans(stacks.map((s) => ({ stack: s.stack, entries: s.entries })), deleted);
  return groupByStack(orphans);
}

function groupByStack(orphans: Orphan[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const o of orphans) out.set(o.stack, [...(out.get(o.stack) ?? []), o.address]);
  return out;
}

function renderPlan(plan: TeardownStep[], removals: Map<string, string[]>, stacks: LoadedStack[]): string {
  const lines = ["Plan:"];
  plan.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.description}`);
  });
  let n = plan.length;
  for (const [stack, addresses] of removals) {
    const client = stacks.find((s) => s.stack === stack)?.client;
    lines.push(`  ${++n}. back up the state of stack ${stack}, then terraform state rm ${addresses.length} entr${addresses.length === 1 ? "y" : "ies"}: ${addresses.join(", ")}`);
    if (client) lines.push(`       (${client.humanCommand(["state", "rm", ...addresses])})`);
  }
  if (plan.length === 0 && removals.size === 0) lines.push("  nothing to do");
  return lines.join("\n");
}

async function awaitRemoval(apis: NetworkApis, step: TeardownStep, project: string, region: string, timing: Timing, ctx: CommandContext): Promise<StepResult["outcome"]> {
  const stillThere = async () => findObject(await readInventory(apis, project, region, timing), step.object.kind, step.object.name);
  try {
    await pollUntil(async () => ((await stillThere()) ? undefined : true), `removal of ${step.object.name}`, { deadlineMs: timing.aetTimeoutMs, intervalMs: timing.pollIntervalMs, signal: timing.signal });
    return "removed-by-google";
  } catch (err) {
    if (!(err instanceof DeadlineExceeded)) throw err;
    ctx.log.warn(`${step.object.name} outlived --aet-timeout (${Math.round(timing.aetTimeoutMs / 1000)}s): deleting it`);
    return deleteObject(apis, step.object, project, timing);
  }
}

async function deletePsaConnection(apis: NetworkApis, object: CloudObject, project: string, timing: Timing, ctx: CommandContext): Promise<StepResult["outcome"]> {
  try {
    return await deleteObject(apis, object, project, timing, (err, wait) => ctx.log.info(`  still in use, retrying in ${Math.round(wait / 100) / 10}s: ${errorMessage(err)}`));
  } catch (err) {
    if (!(err instanceof DeadlineExceeded && isInUse(err.lastError))) throw err;
    // Known provider behaviour (terraform-provider-google #16275/#18834): the connection can refuse
    // deletion long after its producers are gone; removing the peering frees the network.
    ctx.log.warn(`the private service access connection still refuses deletion (${errorMessage(err.lastError)}); removing peering ${PSA_PEERING} instead`);
    const peering: CloudObject = { kind: "peering", name: PSA_PEERING, resource: `network ${object.network} peering ${PSA_PEERING}`, network: object.network };
    await deleteObject(apis, peering, project, timing);
    return "peering-removed";
  }
}

function stepFailure(step: TeardownStep, err: unknown, rerun: string): OpsError {
  if (isOpsError(err)) return err;
  if (err instanceof DeadlineExceeded) {
    const last = err.lastError === undefined ? err.message : errorMessage(err.lastError);
    return new OpsError(`${step.description}: gave up (${err.message}): ${last}`, {
      code: "resource_in_use",
      exitCode: ExitCode.remote,
      hint: `the blocker is named above; remove it or wait, then re-run \`${rerun}\` (it continues where it stopped), or raise --in-use-deadline`,
      runbook: VPC_RUNBOOK,
      cause: err,
    });
  }
  return remoteError(step.description, err, { runbook: VPC_RUNBOOK, hint: `re-run \`${rerun}\`: it continues where it stopped` });
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<CleanupResult>> {
  const config = await ctx.loadConfig();
  const project = ctx.projectId(config);
  const region = ctx.region(config);
  const timing = timingFromOptions(options, ctx.signal);
  const stackName = stringOption(options, "stack") ?? "network";
  const networkFlag = stringOption(options, "network");
  const { present } = selectStacks({ ...options, stack: stackName });
  const rerun = `opsctl state cleanup${ctx.global.env ? ` --env ${ctx.global.env}` : ""} --stack ${stackName}${networkFlag ? ` --network ${networkFlag}` : ""} --yes`;

  let stacks = await loadStacks(present, options);
  const apis = await connectNetworkApis();
  const inventoryNow = () =>
    readInventory(apis, project, region, timing).catch((err: unknown) => {
      throw remoteError(`reading the networks of project ${project}`, err, { runbook: VPC_RUNBOOK });
    });
  let inventory = await inventoryNow();

  const main = stacks.find((s) => s.stack === stackName);
  const networks = networksOf(main, networkFlag);
  if (networkFlag && !findObject(inventory, "network", networkFlag) && !stacks.some((s) => networksOf(s, undefined).includes(networkFlag))) {
    const known = inventory.objects.filter((o) => o.kind === "network").map((o) => o.name);
    throw usageError(`unknown network "${networkFlag}": not in project ${project} and not in any stack's state`, known.length ? `networks in the project: ${known.join(", ")}` : "the project has no VPC network");
  }
  if (networks.length === 0) throw usageError(`stack ${stackName} manages no network in its state`, "name the network to clean up with --network NAME");

  const plan = networks.flatMap((n) => planNetworkTeardown(inventory, n));
  const removals = predictedRemovals(stacks, inventory, plan);
  const result: CleanupResult = {
    dryRun: ctx.global.dryRun,
    networks,
    plan: plan.map((s) => ({ description: s.description, command: s.command })),
    stateRemovals: [...removals].map(([stack, addresses]) => ({ stack, addresses, commands: [stacks.find((s) => s.stack === stack)?.client.humanCommand(["state", "rm", ...addresses]) ?? ""] })),
    steps: [],
    backups: [],
  };
  const planText = renderPlan(plan, removals, stacks);
  if (ctx.global.dryRun) {
    result.steps = plan.map((s) => ({ step: s.description, kind: s.object.kind, name: s.object.name, outcome: "planned" }));
    return { data: result, human: `${planText}\n(dry run: nothing was changed)` };
  }
  if (plan.length === 0 && removals.size === 0) {
    const doctor = buildDoctorReport(stacks.filter((s) => s.stack === stackName), stacks, inventory, config, networkFlag);
    result.doctor = doctor;
    return { data: result, human: `nothing to clean up\n${renderDoctorReport(doctor, ctx.global.env)}`, exitCode: doctor.problems > 0 ? ExitCode.findings : ExitCode.ok };
  }

  ctx.log.info(planText);
  await ctx.confirm(`delete ${plan.length} object(s) around network ${networks.join(", ")} in project ${project} and remove ${[...removals.values()].flat().length} state entr(ies)`, [
    ...plan.map((s) => s.command),
    ...result.stateRemovals.flatMap((r) => r.commands),
  ]);

  // The lock is checked before the first change, so a concurrent terraform run stops us early (exit 4).
  const forceUnlock = stringOption(options, "forceUnlock");
  if (forceUnlock && main) {
    ctx.log.warn(`force-unlocking the state of stack ${stackName} (lock ${forceUnlock}) as asked`);
    try {
      await main.client.forceUnlock(forceUnlock);
    } catch (err) {
      // Already released (the holder finished meanwhile): nothing to unlock, carry on.
      if (!(isOpsError(err) && /not locked|no lock/i.test(err.message))) throw err;
      ctx.log.warn(`the state of stack ${stackName} was not locked: nothing to unlock`);
    }
  }
  for (const s of stacks) {
    const first = s.entries[0];
    if (first) await s.client.probeLock(first.address);
  }

  const progress = ctx.progress("cleanup", plan.length);
  for (const [i, step] of plan.entries()) {
    ctx.log.info(`[${i + 1}/${plan.length}] ${step.description}`);
    let outcome: StepResult["outcome"];
    try {
      if (step.action === "await-removal") outcome = await awaitRemoval(apis, step, project, region, timing, ctx);
      else if (step.object.kind === "psaConnection") outcome = await deletePsaConnection(apis, step.object, project, timing, ctx);
      else outcome = await deleteObject(apis, step.object, project, timing, (err, wait) => ctx.log.info(`  in use, retrying in ${Math.round(wait / 100) / 10}s: ${errorMessage(err)}`));
    } catch (err) {
      progress.done();
      throw stepFailure(step, err, rerun);
    }
    ctx.log.event("cleanup_step", { kind: step.object.kind, name: step.object.name, outcome });
    result.steps.push({ step: step.description, kind: step.object.kind, name: step.object.name, outcome });
    progress.update(i + 1, step.object.name);
  }
  progress.done(`${plan.length} step(s) done`);

  // State: only entries whose objects are really gone now, from states pulled again.
  stacks = await loadStacks(present, options);
  inventory = await inventoryNow();
  const orphans = groupByStack(findOrphans(stacks.map((s) => ({ stack: s.stack, entries: s.entries })), inventory));
  const backupRoot = stacksDir(options);
  for (const [stack, addresses] of orphans) {
    const loaded = stacks.find((s) => s.stack === stack);
    if (!loaded) continue;
    const raw = await loaded.client.pull();
    const dir = join(backupRoot, `${stack}.state-backups`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${stack}-${timestamp()}-serial${raw.serial}.tfstate`);
    writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`, { flag: "wx" });
    const restoreCommand = `opsctl state restore${ctx.global.env ? ` --env ${ctx.global.env}` : ""} --stack ${stack}${options.dir ? ` --dir ${String(options.dir)}` : ""} --from ${file}`;
    ctx.log.info(`backed up the state of stack ${stack} to ${file}`);
    ctx.log.info(`  to restore it: ${restoreCommand}`);
    await loaded.client.rm(addresses);
    ctx.log.info(`removed ${addresses.length} orphaned entr${addresses.length === 1 ? "y" : "ies"} from stack ${stack}: ${addresses.join(", ")}`);
    result.backups.push({ stack, file, serial: raw.serial, removed: addresses, restoreCommand });
  }

  stacks = await loadStacks(present, options);
  const doctor = buildDoctorReport(stacks.filter((s) => s.stack === stackName), stacks, await inventoryNow(), config, networkFlag);
  result.doctor = doctor;
  const summary = [
    ...result.steps.map((s) => `${s.outcome.padEnd(17)} ${s.kind} ${s.name}`),
    ...result.backups.map((b) => `state-rm          ${b.removed.length} entr(ies) from ${b.stack}; backup ${b.file}\n                  restore: ${b.restoreCommand}`),
    "",
    renderDoctorReport(doctor, ctx.global.env),
  ].join("\n");
  return { data: result, human: summary, exitCode: doctor.problems > 0 ? ExitCode.findings : ExitCode.ok };
}
