import { booleanOption, type CommandInput, type CommandResult } from "../../core/command.js";
import { ExitCode } from "../../core/exit-codes.js";
import { OpsError } from "../../core/errors.js";
import type { ConfigIssue, LoadedConfig } from "../../../config/load.js";

export interface ValidateResult {
  files: { file: string; environment?: string; valid: boolean; issues: ConfigIssue[] }[];
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<ValidateResult>> {
  const { configDir, environmentFile, listEnvironments, loadConfigFile } = await import("../../../config/load.js");
  let files: string[];
  if (booleanOption(options, "all")) files = listEnvironments().map((e) => environmentFile(e, configDir()));
  else if (ctx.global.config) files = [ctx.global.config];
  else if (ctx.global.env) {
    try {
      files = [environmentFile(ctx.global.env)];
    } catch (err) {
      await ctx.loadConfig(); // raises the same error with the standard code and hint
      throw err;
    }
  } else throw new OpsError("no environment selected", { code: "usage", exitCode: ExitCode.usage, hint: "pass --env NAME, --config FILE or --all" });

  const loaded: LoadedConfig[] = [];
  for (const file of files) {
    try {
      loaded.push(loadConfigFile(file));
    } catch (err) {
      loaded.push({ file, config: undefined, issues: [{ path: "(file)", severity: "error", message: (err as Error).message }] });
    }
  }
  const result: ValidateResult = {
    files: loaded.map((l) => ({ file: l.file, environment: l.config?.environment, valid: l.config !== undefined, issues: l.issues })),
  };
  const invalid = result.files.filter((f) => !f.valid);
  if (invalid.length > 0) {
    const lines = invalid.flatMap((f) => [`${f.file}:`, ...f.issues.map((i) => `  ${i.severity === "error" ? "error" : "warning"} ${i.path}: ${i.message}`)]);
    throw new OpsError(`invalid configuration:\n${lines.join("\n")}`, {
      code: "config_invalid",
      exitCode: ExitCode.usage,
      hint: "fix the fields listed above; `opsctl config schema` prints the JSON Schema",
      details: result,
    });
  }
  const human = result.files
    .map((f) => [`✓ ${f.file} (${f.environment}) is valid`, ...f.issues.map((i) => `  warning ${i.path}: ${i.message}`)].join("\n"))
    .join("\n");
  return { data: result, human };
}
