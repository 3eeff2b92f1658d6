import { stringOption, type CommandInput, type CommandResult } from "../../core/command.js";
import { isOpsError, OpsError } from "../../core/errors.js";
import { hasChanges } from "./plan-changes.js";
import type { PlanSummary, StackSummary } from "./plan-summary.js";
import { appendMarkdown, renderHuman, renderMarkdown } from "./render-summary.js";
import { applySavedPlan, buildSummary, dependencyPending, emptyStackSummary, errorTail, initStack, PLAN_FILE, planStack, StackStepError, stackFailure, withPlan, withStackRun } from "./stack-runner.js";

/**
 * Stack by stack, because later stacks read earlier stacks' outputs: planning `data` before
 * `network` is applied would bake yesterday's network into today's plan.
 */
export async function run(input: CommandInput): Promise<CommandResult<PlanSummary>> {
  const { options, ctx } = input;
  const dryRun = ctx.global.dryRun;
  return withStackRun(input, async (stackRun) => {
    const stacks: StackSummary[] = stackRun.stacks.map((s) => emptyStackSummary(s));
    const texts = new Map<string, string>();
    const summaryMd = stringOption(options, "summaryMd");
    const finish = () => {
      const summary = buildSummary(stackRun, "apply", dryRun, stacks);
      if (summaryMd) appendMarkdown(summaryMd, renderMarkdown(summary, texts));
      return summary;
    };

    for (const [i, stack] of stackRun.stacks.entries()) {
      const current = stacks[i]!;
      try {
        await initStack(stackRun, stack);
        const plan = await planStack(stackRun, stack, "apply");
        texts.set(stack.name, plan.text);
        if (!hasChanges(plan)) {
          stacks[i] = withPlan({ ...current, status: "unchanged" }, plan);
          continue;
        }
        stacks[i] = withPlan({ ...current, status: "changes-pending" }, plan);
        if (dryRun) continue;
        const scope = `${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy`;
        ctx.log.info(`[${stack.name}] plan: ${scope}`);
        try {
          await ctx.confirm(`apply stack ${stack.name} of environment ${stackRun.environment} (${scope})`, [`terraform -chdir=${stacks[i]!.workingDirectory} apply ${PLAN_FILE}`]);
        } catch (err) {
          if (!isOpsError(err)) throw err;
          throw new OpsError(err.message, { code: err.code, exitCode: err.exitCode, hint: err.hint, details: finish() });
        }
        await applySavedPlan(stackRun, stack, plan.planFile);
        stacks[i] = { ...stacks[i]!, status: "applied" };
      } catch (err) {
        if (!(err instanceof StackStepError)) throw err;
        const pendingDep = dryRun && err.step === "plan" ? dependencyPending(stack, stacks, stackRun.order) : undefined;
        if (pendingDep) {
          stacks[i] = { ...stacks[i]!, status: "deferred", error: errorTail(err.run) };
          ctx.log.warn(`[${stack.name}] deferred: its plan failed while ${pendingDep} has changes pending; it is planned again after ${pendingDep} is applied`);
          continue;
        }
        stacks[i] = { ...stacks[i]!, status: "failed", error: errorTail(err.run) };
        throw stackFailure(err, finish());
      }
    }

    const summary = finish();
    const env = ctx.global.env ? ` --env ${ctx.global.env}` : "";
    const next = dryRun
      ? summary.changesPending
        ? `dry run: nothing applied. Run \`opsctl apply${env}\` to apply (later stacks are re-planned after earlier ones are applied)`
        : "dry run: no changes"
      : stacks.some((s) => s.status === "applied")
        ? "applied; the infrastructure matches the synthesized stacks"
        : "no changes: nothing to apply";
    return { data: summary, human: renderHuman(summary, next) };
  });
}
