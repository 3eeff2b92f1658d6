/** The DLQ targets of a command invocation: from config when an environment is selected, else by convention. */
import type { CommandContext } from "../../core/context.js";
import { type CommandInput, stringOption } from "../../core/command.js";
import { usageError } from "../../core/errors.js";
import { conventionTarget, type DlqTarget, dlqTargets } from "./dlq-targets.js";

export async function resolveTargets({ options, ctx }: { options: CommandInput["options"]; ctx: CommandContext }, requireTopic: boolean): Promise<{ projectId: string; targets: DlqTarget[] }> {
  const topic = stringOption(options, "topic");
  const subscription = stringOption(options, "subscription");
  const dlqSubscription = stringOption(options, "dlqSubscription");
  if (requireTopic && topic === undefined) throw usageError("which topic?", "pass --topic NAME: the original topic the dead-lettered messages are replayed to");
  if (ctx.global.env !== undefined || ctx.global.config !== undefined) {
    const config = await ctx.loadConfig();
    const targets = dlqTargets(config, { topic, subscription, dlqSubscription });
    if (requireTopic && targets.length > 1) {
      throw usageError(`topic "${topic}" dead-letters into ${targets.length} queues (${targets.map((t) => t.dlqTopic).join(", ")})`, "pick one with --subscription NAME");
    }
    return { projectId: ctx.projectId(config), targets };
  }
  if (topic === undefined) throw usageError("no environment selected and no --topic", "pass --env NAME, or --project ID --topic NAME to use the <topic>-dlq / <topic>-dlq-sub naming convention");
  return { projectId: ctx.projectId(), targets: [conventionTarget(topic, dlqSubscription)] };
}

export function positiveInt(options: CommandInput["options"], name: string, flag: string, max?: number): number | undefined {
  const text = stringOption(options, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || (max !== undefined && n > max)) throw usageError(`${flag} "${text}" must be a whole number from 1${max !== undefined ? ` to ${max}` : ""}`);
  return n;
}
