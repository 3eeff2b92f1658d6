import { stringOption, type CommandInput, type CommandResult } from "../../core/command.js";
import { isOpsError, OpsError } from "../../core/errors.js";
import { findNetworkBlockers } from "./network-blockers.js";
import { hasChanges } from "./plan-changes.js";
import type { PlanSummary, StackSummary } from "./plan-summary.js";
import { appendMarkdown, renderHuman, renderMarkdown } from "./render-summary.js";
import { buildSummary, emptyStackSummary, errorTail, initStack, planStack, StackStepError, stackFailure, withPlan, withStackRun } from "./stack-runner.js";

/**
 * Reverse dependency order (services → data → network): a stack is destroyed only after every stack
 * that reads from it. The destroy of every stack is planned first so the confirmation names the
 * real scope; then `terraform destroy -auto-approve` runs stack by stack.
 */
export async function run(input: CommandInput): Promise<CommandResult<PlanSummary>> {
  const { options, ctx } = input;
  const dryRun = ctx.global.dryRun;
  return withStackRun(input, async (stackRun) => {
    const order = [...stackRun.stacks].reverse();
    const stacks: StackSummary[] = order.map((s) => emptyStackSummary(s));
    const texts = new Map<string, string>();
    const summaryMd = stringOption(options, "summaryMd");
    const finish = () => {
      const summary = buildSummary(stackRun, "destroy", dryRun, stacks);
      if (summaryMd) appendMarkdown(summaryMd, renderMarkdown(summary, texts));
      return summary;
    };
    const env = stackRun.environment;

    if (order.length === 1 && order[0]) {
      const only = order[0].name;
      const dependents = stackRun.order.stacks.filter((s) => s.dependencies.includes(only)).map((s) => s.name);
      if (dependents.length > 0) ctx.log.warn(`stacks ${dependents.join(", ")} read from ${only}: destroy them first, or this destroy may fail or leave them broken`);
    }

    for (const [i, stack] of order.entries()) {
      try {
        await initStack(stackRun, stack);
        const plan = await planStack(stackRun, stack, "destroy");
        stacks[i] = withPlan({ ...stacks[i]!, status: hasChanges(plan) ? "changes-pending" : "unchanged" }, plan);
        texts.set(stack.name, plan.text);
      } catch (err) {
        if (!(err instanceof StackStepError)) throw err;
        stacks[i] = { ...stacks[i]!, status: "failed", error: errorTail(err.run) };
        throw stackFailure(err, finish());
      }
    }

    const total = stacks.reduce((n, s) => n + s.destroy, 0);
    if (dryRun || total === 0) {
      const summary = finish();
      const next = total === 0 ? "nothing to destroy" : `dry run: nothing destroyed. \`opsctl destroy${ctx.global.env ? ` --env ${ctx.global.env}` : ""}\` would destroy ${total} resources`;
      return { data: summary, human: renderHuman(summary, next) };
    }

    const scope = stacks.filter((s) => s.destroy > 0).map((s) => `${s.name}: ${s.destroy}`);
    ctx.log.info(`destroy plan for environment ${env}: ${scope.join(", ")}`);
    try {
      await ctx.confirm(
        `destroy ${total} resources of environment ${env} (${scope.join(", ")}), in this order`,
        stacks.filter((s) => s.destroy > 0).map((s) => `terraform -chdir=${s.workingDirectory} destroy`),
      );
    } catch (err) {
      if (!isOpsError(err)) throw err;
      throw new OpsError(err.message, { code: err.code, exitCode: err.exitCode, hint: err.hint, details: finish() });
    }

    for (const [i, stack] of order.entries()) {
      const current = stacks[i]!;
      if (current.destroy === 0) continue;
      const result = await stackRun.tf.run(stack.workingDirectory, ["destroy", "-auto-approve", "-input=false", "-no-color"], { onOutput: (l) => ctx.log.info(`[${stack.name}] ${l}`) });
      if (result.exitCode === 0) {
        stacks[i] = { ...current, status: "destroyed" };
        continue;
      }
      const failure = new StackStepError("destroy", stack, result);
      const blockers = findNetworkBlockers(result.stderr);
      stacks[i] = { ...current, status: "failed", error: errorTail(result), ...(blockers.length > 0 ? { blockers } : {}) };
      if (blockers.length === 0) throw stackFailure(failure, finish());
      const stackFlag = `--env ${env} --stack ${stack.name}`;
      throw stackFailure(failure, finish(), {
        code: "destroy_blocked",
        message: `terraform destroy failed in stack ${stack.name}: the network is still in use by something terraform does not remove (re-running destroy will not help):\n  ${blockers.join("\n  ")}`,
        hint: `run \`opsctl state doctor ${stackFlag}\` to see what holds it, then \`opsctl state cleanup ${stackFlag}\`, then re-run \`opsctl destroy --env ${env}\``,
        runbook: "vpc-deletion-stuck",
      });
    }

    const summary = finish();
    return { data: summary, human: renderHuman(summary, `destroyed environment ${env}'s stacks in order ${summary.order.join(" → ")}`) };
  });
}
