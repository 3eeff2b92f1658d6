import type { CommandInput, CommandResult } from "../../core/command.js";

export async function run(_: CommandInput): Promise<CommandResult<unknown>> {
  const { environmentJsonSchema } = await import("../../../config/json-schema.js");
  const schema = environmentJsonSchema();
  return { data: schema, human: JSON.stringify(schema, null, 2) };
}
