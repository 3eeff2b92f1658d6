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
  const out = resolve(stringOption(options, "out") ?? "cdktf.out");
  if (ctx.global.project || ctx.global.region) throw usageError("synth reads the project and region from the environment document", "edit project.id / project.region in the config instead of passing --project / --region");
  const entry = appEntry();
  const { execa } = await import("execa");

  // Start the app first: it loads cdktf and the provider bindings while this process validates the
  // document, then reads the validated document from stdin (the two halves take about as long).
  const child = execa(process.execPath, [...(entry.endsWith(".ts") ? ["--import", "tsx"] : []), entry], {
    env: { OPSCTL_CONFIG_STDIN: "1", OPSCTL_OUT: out, OPSCTL_SKIP_POLICY: "1" },
    reject: false,
    cancelSignal: ctx.signal,
    stripFinalNewline: true,
  });
  let config: Awaited<ReturnType<typeof ctx.loadConfig>>;
  try {
    config = await ctx.loadConfig();
  } catch (err) {
    child.kill();
    await child;
    throw err;
  }
  ctx.log.info(`synthesizing ${config.environment} into ${out}`);
  child.stdin?.end(JSON.stringify(config));
  const done = await child;

  if (ctx.signal.aborted) throw new OpsError("synth interrupted", { code: "interrupted", exitCode: ExitCode.interrupted });
  if (done.exitCode === 2) {
    throw new OpsError(done.stderr || "synth refused the environment", {
      code: "synth_refused",
      exitCode: ExitCode.usage,
      hint: "fix the config fields named above (`opsctl config validate` checks most of them), then re-run",
      runbook: "synth-refused",
    });
  }
  if (done.exitCode !== 0) {
    throw new OpsError(`the CDKTF app failed (exit ${done.exitCode ?? done.signal}):\n${done.stderr}`, { code: "synth_failed", exitCode: ExitCode.internal, hint: "re-run with -v; if the message is not about your config, report it" });
  }
  const result = reportResult(policyReport(out));
  return { ...result, data: { environment: config.environment, ...result.data } };
}
