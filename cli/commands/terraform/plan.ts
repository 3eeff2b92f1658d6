import { booleanOption, stringOption, type CommandInput, type CommandResult } from "../../core/command.js";
import { hasChanges } from "./plan-changes.js";
import type { PlanSummary, StackSummary } from "./plan-summary.js";
import { appendMarkdown, renderHuman, renderMarkdown } from "./render-summary.js";
import { buildSummary, dependencyPending, emptyStackSummary, errorTail, initStack, planStack, StackStepError, stackFailure, withPlan, withStackRun } from "./stack-runner.js";

export async function run(input: CommandInput): Promise<CommandResult<PlanSummary>> {
  const { options, ctx } = input;
  return withStackRun(input, async (stackRun) => {
    const stacks: StackSummary[] = stackRun.stacks.map((s) => emptyStackSummary(s));
    const texts = new Map<string, string>();
    const summaryMd = stringOption(options, "summaryMd");
    const finish = () => {
      const summary = buildSummary(stackRun, "plan", true, stacks);
      if (summaryMd) appendMarkdown(summaryMd, renderMarkdown(summary, texts));
      return summary;
    };

    for (const [i, stack] of stackRun.stacks.entries()) {
      const current = stacks[i]!;
      try {
        await initStack(stackRun, stack);
        const plan = await planStack(stackRun, stack, "apply");
        stacks[i] = withPlan({ ...current, status: hasChanges(plan) ? "changes-pending" : "unchanged" }, plan);
        texts.set(stack.name, plan.text);
      } catch (err) {
        if (!(err instanceof StackStepError)) throw err;
        const pendingDep = err.step === "plan" ? dependencyPending(stack, stacks, stackRun.order) : undefined;
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
    const failOnChanges = booleanOption(options, "failOnChanges");
    const env = ctx.global.env ? ` --env ${ctx.global.env}` : "";
    const next = summary.changesPending
      ? `changes pending: review them, then \`opsctl apply${env}\`${failOnChanges ? " (exit 1: --fail-on-changes)" : ""}`
      : "no changes: the infrastructure matches the synthesized stacks";
    return { data: summary, human: renderHuman(summary, next), exitCode: failOnChanges && summary.changesPending ? 1 : 0 };
  });
}
