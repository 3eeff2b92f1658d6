import type { CommandInput, CommandResult } from "../../core/command.js";
import type { EnvironmentConfig } from "../../../config/schema.js";

export async function run({ ctx }: CommandInput): Promise<CommandResult<EnvironmentConfig>> {
  const config = await ctx.loadConfig();
  const { stringify } = await import("yaml");
  return { data: config, human: stringify(config, { lineWidth: 0 }) };
}
