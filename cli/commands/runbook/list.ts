import type { CommandInput, CommandResult } from "../../core/command.js";
import { formatTable } from "../../core/output.js";
import { listRunbooks, type RunbookEntry } from "./catalogue.js";

export interface RunbookListResult {
  runbooks: RunbookEntry[];
}

export async function run(_input: CommandInput): Promise<CommandResult<RunbookListResult>> {
  const runbooks = listRunbooks();
  const table = formatTable(
    ["NAME", "KIND", "TITLE"],
    runbooks.map((r) => [r.name, r.kind, r.title]),
  );
  return { data: { runbooks }, human: `${table}\n\n${runbooks.length} runbooks; \`opsctl runbook show <name>\` prints one.` };
}
