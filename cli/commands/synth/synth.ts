/**
 * `opsctl synth`: validates the environment document, runs the CDKTF app (dist/cdktf/main.js) as a
 * child process — the CLI itself never loads the provider bindings — then reports the stacks and
 * the policy findings on what it wrote.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { OpsError, usageError } from "../../core/errors.js";
import { ExitCode } from "../../core/exit-codes.js";
import { type PolicyReport, policyReport, reportResult } from "../lint/report.js";

export interface SynthResult extends PolicyReport {
  environment: string;
}

/** dist/cdktf/main.js beside dist/cli/ (cdktf/main.ts when running from source) */
function appEntry(): string {
  for (const rel of ["../../../cdktf/main.js", "../../../cdktf/main.ts"]) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) return file;
  }
  throw new OpsError("the CDKTF app is not built (dist/cdktf/main.js is missing)", { code: "not_built", exitCode: ExitCode.usage, hint: "run `npm run build` first" });
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<SynthResult>> {
  const config = await ctx.loadConfig();
  const { environmentFile } = await import("../../../config/load.js");
  const file = resolve(ctx.global.config ?? environmentFile(ctx.global.env ?? ""));
  const out = resolve(stringOption(options, "out") ?? "cdktf.out");
  if (ctx.global.project || ctx.global.region) throw usageError("synth reads the project and region from the environment document", "edit project.id / project.region in the config instead of passing --project / --region");

  const entry = appEntry();
  const { execa } = await import("execa");
  ctx.log.info(`synthesizing ${config.environment} into ${out}`);
  const child = await execa(process.execPath, [...(entry.endsWith(".ts") ? ["--import", "tsx"] : []), entry], {
    env: { OPSCTL_CONFIG_JSON: JSON.stringify(config), OPSCTL_CONFIG_FILE: file, OPSCTL_OUT: out, OPSCTL_SKIP_POLICY: "1" },
    reject: false,
    cancelSignal: ctx.signal,
    stripFinalNewline: true,
  });
  if (ctx.signal.aborted) throw new OpsError("synth interrupted", { code: "interrupted", exitCode: ExitCode.interrupted });
  if (child.exitCode === 2) {
    throw new OpsError(child.stderr.replace(/^synth refused: /m, "synth refused: ") || "synth refused the environment", {
      code: "synth_refused",
      exitCode: ExitCode.usage,
      hint: "fix the config fields named above (`opsctl config validate` checks most of them), then re-run",
      runbook: "synth-refused",
    });
  }
  if (child.exitCode !== 0) {
    throw new OpsError(`the CDKTF app failed (exit ${child.exitCode ?? child.signal}):\n${child.stderr}`, { code: "synth_failed", exitCode: ExitCode.internal, hint: "re-run with -v; if the message is not about your config, report it" });
  }
  const result = reportResult(policyReport(out));
  return { ...result, data: { environment: config.environment, ...result.data } };
}
