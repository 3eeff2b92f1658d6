import { booleanOption, type CommandInput, type CommandResult } from "../../core/command.js";
import { usageError } from "../../core/errors.js";
import { readRunbook, type RunbookEntry } from "./catalogue.js";
import { renderMarkdown } from "./render-markdown.js";

export interface RunbookShowResult extends RunbookEntry {
  markdown: string;
}

export async function run({ args, options, ctx }: CommandInput): Promise<CommandResult<RunbookShowResult>> {
  const name = args[0];
  if (!name) throw usageError("which runbook?", "`opsctl runbook list` shows every runbook");
  const { entry, markdown } = readRunbook(name);
  const color = ctx.interactive && (ctx.streams.stdout as { isTTY?: boolean }).isTTY === true;
  const human = booleanOption(options, "raw") ? markdown : renderMarkdown(markdown, { color, width: (ctx.streams.stdout as { columns?: number }).columns ?? 100 });
  return { data: { ...entry, markdown }, human };
}
