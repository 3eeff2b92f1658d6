/**
 * The steps plan, apply and destroy share: resolve the environment, the synthesized stacks and the
 * terraform binary; init, plan (saved, -detailed-exitcode) and read the saved plan back as JSON.
 * Each step streams terraform's output to stderr prefixed with the stack name; stdout stays for the
 * result, so `--json` output is one document even while terraform talks.
 */
import { relative } from "node:path";
import { stringOption, type CommandInput } from "../../core/command.js";
import type { CommandContext } from "../../core/context.js";
import { OpsError } from "../../core/errors.js";
import { ExitCode } from "../../core/exit-codes.js";
import { assertSynthesizedForEnvironment } from "./backend-guard.js";
import { countPlanChanges, type PlanChanges } from "./plan-changes.js";
import { type PlanSummary, type StackSummary, totalsOf } from "./plan-summary.js";
import { readStackOrder, selectStacks, type StackOrder, type SynthStack } from "./stack-order.js";
import { resolveTerraformBin } from "../../core/terraform.js";
import { createTerraformCli, type TerraformCli, type TerraformRun } from "./terraform-cli.js";

export const PLAN_FILE = "opsctl.tfplan";
export const DESTROY_PLAN_FILE = "opsctl-destroy.tfplan";

export interface StackRun {
  ctx: CommandContext;
  environment: string;
  order: StackOrder;
  /** the stacks selected by --stack, in apply order */
  stacks: SynthStack[];
  tf: TerraformCli;
  terraformVersion: string | undefined;
  synthDir: string;
  /** each stack's terraform init, started by prepareStackRun; resolves to the error, if any */
  inits: Map<string, Promise<unknown>>;
}

export async function prepareStackRun({ options, ctx }: CommandInput): Promise<StackRun> {
  const synthDir = stringOption(options, "synthDir") ?? "cdktf.out";
  const order = readStackOrder(synthDir);
  const stacks = selectStacks(order, stringOption(options, "stack"));
  const tf = createTerraformCli(resolveTerraformBin(stringOption(options, "terraformBin")), ctx.signal);
  const config = await ctx.loadConfig();
  assertSynthesizedForEnvironment(stacks, config, synthDir);
  const run: StackRun = { ctx, environment: config.environment, order, stacks, tf, terraformVersion: undefined, synthDir, inits: new Map() };
  // terraform init touches nothing but the stack's own directory and the backend: run them all at
  // once, concurrently unless a shared plugin cache is configured (terraform does not
  // guarantee TF_PLUGIN_CACHE_DIR is safe for concurrent inits).
  const concurrent = !process.env.TF_PLUGIN_CACHE_DIR;
  let previous: Promise<unknown> = Promise.resolve();
  for (const stack of stacks) {
    const start = concurrent ? Promise.resolve() : previous;
    const settled = start.then(() => mustSucceed(run, stack, "init", ["init", "-input=false", "-no-color"], "debug")).then(
      () => undefined,
      (err: unknown) => err,
    );
    run.inits.set(stack.name, settled);
    previous = settled;
  }
  run.terraformVersion = await tf.version();
  ctx.log.info(`environment ${config.environment}: stacks ${order.stacks.map((s) => s.name).join(" → ")} (order from ${order.source === "manifest" ? `${synthDir}/manifest.json` : "the default network → data → services"})`);
  return run;
}

/**
 * Runs a command's body over the prepared stacks. Whatever happens, it returns only after every
 * terraform init it started has ended, so no terraform is left running behind a failed command.
 */
export async function withStackRun<T>(input: CommandInput, body: (run: StackRun) => Promise<T>): Promise<T> {
  const run = await prepareStackRun(input);
  try {
    return await body(run);
  } finally {
    await Promise.all(run.inits.values());
  }
}

export function emptyStackSummary(stack: SynthStack, status: StackSummary["status"] = "skipped"): StackSummary {
  return { name: stack.name, workingDirectory: relative(process.cwd(), stack.workingDirectory) || ".", status, add: 0, change: 0, destroy: 0, replace: 0, resources: [] };
}

function streamTo(ctx: CommandContext, stack: string, level: "info" | "debug"): (line: string) => void {
  return (line) => ctx.log[level](`[${stack}] ${line}`);
}

/** The last lines of terraform's error output: the part that says what went wrong. */
export function errorTail(run: TerraformRun, lines = 25): string {
  const text = (run.stderr.trim() || run.stdout.trim()).split("\n");
  return text.slice(-lines).join("\n");
}

export class StackStepError extends Error {
  constructor(
    readonly step: string,
    readonly target: SynthStack,
    readonly run: TerraformRun,
  ) {
    super(`terraform ${step} failed in stack ${target.name} (exit ${run.exitCode})`);
  }
}

async function mustSucceed(run: StackRun, stack: SynthStack, step: string, args: string[], level: "info" | "debug"): Promise<TerraformRun> {
  const result = await run.tf.run(stack.workingDirectory, args, { onOutput: streamTo(run.ctx, stack.name, level) });
  if (result.exitCode !== 0) throw new StackStepError(step, stack, result);
  return result;
}

/** Waits for the stack's init (started in prepareStackRun) and rethrows its failure. */
export async function initStack(run: StackRun, stack: SynthStack): Promise<void> {
  const outcome = await (run.inits.get(stack.name) ?? mustSucceed(run, stack, "init", ["init", "-input=false", "-no-color"], "debug"));
  if (outcome instanceof Error) throw outcome;
}

/** `terraform apply FILE`: applies exactly the saved plan that was shown and confirmed. */
export async function applySavedPlan(run: StackRun, stack: SynthStack, planFile: string): Promise<void> {
  await mustSucceed(run, stack, "apply", ["apply", "-input=false", "-no-color", planFile], "info");
}

export interface StackPlan extends PlanChanges {
  planFile: string;
  /** terraform plan's text output, for the Markdown summary */
  text: string;
}

/**
 * `terraform plan -out=FILE -detailed-exitcode`: exit 0 no changes, 2 changes, 1 error. The counts
 * come from `terraform show -json FILE`, not from parsing the text.
 */
export async function planStack(run: StackRun, stack: SynthStack, mode: "apply" | "destroy"): Promise<StackPlan> {
  const planFile = mode === "destroy" ? DESTROY_PLAN_FILE : PLAN_FILE;
  const args = ["plan", "-input=false", "-no-color", "-detailed-exitcode", `-out=${planFile}`];
  if (mode === "destroy") args.push("-destroy");
  const result = await run.tf.run(stack.workingDirectory, args, { onOutput: streamTo(run.ctx, stack.name, "info") });
  if (result.exitCode !== 0 && result.exitCode !== 2) throw new StackStepError("plan", stack, result);
  // -detailed-exitcode 0: an empty diff, nothing to read back (saves a terraform start per stack).
  if (result.exitCode === 0) return { add: 0, change: 0, destroy: 0, replace: 0, resources: [], planFile, text: result.stdout };
  const shown = await mustSucceed(run, stack, "show", ["show", "-json", "-no-color", planFile], "debug");
  let parsed: unknown;
  try {
    parsed = JSON.parse(shown.stdout);
  } catch (err) {
    throw new OpsError(`terraform show -json ${planFile} in stack ${stack.name} did not print JSON: ${(err as Error).message}`, { code: "terraform_output", exitCode: ExitCode.remote, hint: "check that --terraform-bin is terraform >= 1.5 or OpenTofu" });
  }
  return { ...countPlanChanges(parsed), planFile, text: result.stdout };
}

export function withPlan(summary: StackSummary, plan: StackPlan): StackSummary {
  return { ...summary, add: plan.add, change: plan.change, destroy: plan.destroy, replace: plan.replace, resources: plan.resources, planFile: plan.planFile };
}

/**
 * Turns a failed step into the command's error: exit 4 when another run holds the state lock
 * (one apply per environment at a time), else exit 3 with terraform's own words. The summary so far
 * goes into the error's details, so `--json` consumers still see which stacks ran.
 */
export function stackFailure(err: StackStepError, summary: PlanSummary, extra: { message?: string; hint?: string; runbook?: string; code?: string } = {}): OpsError {
  const tail = errorTail(err.run);
  if (/Error acquiring the state lock/i.test(tail)) {
    return new OpsError(`the state of stack ${err.target.name} is locked by another run:\n${tail}`, {
      code: "state_locked",
      exitCode: ExitCode.refused,
      hint: "another plan/apply is running for this environment; wait for it to finish. Only if it died, release the lock: terraform force-unlock LOCK_ID (in the stack's directory)",
      details: summary,
    });
  }
  if (/Backend configuration changed/i.test(tail)) {
    return new OpsError(`the backend of stack ${err.target.name} differs from the one its .terraform directory was initialized with:\n${tail}`, {
      code: "backend_changed",
      exitCode: ExitCode.usage,
      hint: "was another environment synthesized into the same directory? Synthesize this environment into its own --synth-dir, or, if the backend really moved, run terraform init -migrate-state in that stack's directory yourself",
      details: summary,
    });
  }
  return new OpsError(extra.message ?? `${err.message}:\n${tail}`, {
    code: extra.code ?? "terraform_failed",
    exitCode: ExitCode.remote,
    hint: extra.hint ?? `fix the error above and re-run; stacks before ${err.target.name} are done and re-running is safe`,
    runbook: extra.runbook,
    details: summary,
  });
}

export function buildSummary(run: StackRun, operation: PlanSummary["operation"], dryRun: boolean, stacks: StackSummary[]): PlanSummary {
  return {
    schemaVersion: 1,
    operation,
    environment: run.environment,
    dryRun,
    terraform: { binary: run.tf.binary, ...(run.terraformVersion ? { version: run.terraformVersion } : {}) },
    orderSource: run.order.source,
    order: stacks.map((s) => s.name),
    stacks,
    totals: totalsOf(stacks),
    changesPending: stacks.some((s) => s.status === "changes-pending" || s.status === "deferred"),
  };
}

/**
 * A plan that fails while a stack it depends on still has changes pending is deferred, not failed:
 * on a new environment `data` cannot read outputs `network` has not created yet. Only plan-only runs
 * defer; apply plans each stack after the ones before it are applied.
 */
export function dependencyPending(stack: SynthStack, done: readonly StackSummary[], order: StackOrder): string | undefined {
  const status = new Map(done.map((s) => [s.name, s.status]));
  const seen = new Set<string>();
  const visit = (name: string): string | undefined => {
    for (const dep of order.stacks.find((s) => s.name === name)?.dependencies ?? []) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      const st = status.get(dep);
      if (st === "changes-pending" || st === "deferred") return dep;
      const deeper = visit(dep);
      if (deeper) return deeper;
    }
    return undefined;
  };
  return visit(stack.name);
}
