/**
 * `opsctl state restore`: put back a state backup written by `state cleanup`. Refuses a backup of
 * another lineage (another stack or environment). The backup's serial is raised above the current
 * one so Terraform's own `state push` checks (lineage, serial) pass without -force.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { refusedError, usageError } from "../../core/errors.js";
import { stateEntries, type TerraformState } from "../../core/terraform.js";
import { loadStacks, selectStacks } from "./stack-session.js";

export interface RestoreResult {
  stack: string;
  from: string;
  lineage: string;
  serialBefore: number;
  serialAfter: number;
  entries: string[];
  dryRun: boolean;
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<RestoreResult>> {
  const stack = stringOption(options, "stack") ?? "network";
  const from = stringOption(options, "from");
  if (!from) throw usageError("--from FILE is required", "the file is printed by `opsctl state cleanup` after its backup");
  if (!existsSync(from)) throw usageError(`backup ${from} does not exist`);
  let backup: TerraformState;
  try {
    backup = JSON.parse(readFileSync(from, "utf8")) as TerraformState;
  } catch (err) {
    throw usageError(`${from} is not a Terraform state file: ${(err as Error).message}`);
  }
  if (backup.version !== 4 || typeof backup.lineage !== "string") throw usageError(`${from} is not a version 4 Terraform state file`);
  selectStacks({ ...options, stack });
  const [current] = await loadStacks([stack], options);
  if (!current) throw usageError(`stack ${stack} not found`);
  if (current.lineage && current.lineage !== backup.lineage) {
    throw refusedError(`backup lineage ${backup.lineage} differs from the current state of stack ${stack} (lineage ${current.lineage})`, "this backup belongs to another stack or environment; pick the right --stack/--dir, or push it by hand only if you know why");
  }
  const entries = stateEntries(backup).map((e) => e.address);
  const result: RestoreResult = { stack, from, lineage: backup.lineage, serialBefore: current.serial, serialAfter: current.serial + 1, entries, dryRun: ctx.global.dryRun };
  if (ctx.global.dryRun) return { data: result, human: `would restore ${entries.length} entr(ies) into stack ${stack} from ${from} (dry run: nothing was changed)` };
  await ctx.confirm(`overwrite the state of stack ${stack} (serial ${current.serial}) with ${from} (${entries.length} entries)`, [current.client.humanCommand(["state", "push", from])]);
  const dir = mkdtempSync(join(tmpdir(), "opsctl-restore-"));
  try {
    const file = join(dir, "restore.tfstate");
    writeFileSync(file, JSON.stringify({ ...backup, serial: current.serial + 1 }));
    await current.client.push(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { data: result, human: `✓ restored ${entries.length} entr(ies) into stack ${stack} from ${from} (serial ${current.serial} → ${current.serial + 1})` };
}
