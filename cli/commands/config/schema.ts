import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";

export interface SchemaResult {
  schema: Record<string, unknown>;
  /** set with --out */
  file?: string;
  action?: "created" | "updated" | "unchanged" | "would-create" | "would-update";
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<SchemaResult>> {
  const { environmentJsonSchema } = await import("../../../config/json-schema.js");
  const schema = environmentJsonSchema();
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  const out = stringOption(options, "out");
  if (out === undefined) return { data: { schema }, human: text.trimEnd() };

  const exists = existsSync(out);
  if (exists && readFileSync(out, "utf8") === text) return { data: { schema, file: out, action: "unchanged" }, human: `${out} is up to date` };
  if (ctx.global.dryRun) {
    const action = exists ? "would-update" : "would-create";
    return { data: { schema, file: out, action }, human: `dry run: would ${exists ? "overwrite" : "create"} ${out}` };
  }
  // Overwriting a file someone may have edited by hand is a mutation: confirm it.
  if (exists) await ctx.confirm(`overwrite ${out} with the current schema`);
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, out); // atomic: an interrupted write never leaves half a schema
  return { data: { schema, file: out, action: exists ? "updated" : "created" }, human: `${exists ? "updated" : "created"} ${out}` };
}
