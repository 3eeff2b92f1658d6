/**
 * The real terraform (or OpenTofu) binary, run through execa in one stack's working directory.
 * The binary comes from resolveTerraformBin (cli/core/terraform.ts). The environment is passed through (TF_CLI_CONFIG_FILE, GOOGLE_*, credentials), with
 * TF_IN_AUTOMATION and TF_INPUT=0 so terraform never waits for a prompt nobody can answer.
 */
import { execa } from "execa";
import { INSTALL_HINTS } from "../../core/prerequisites.js";
import { OpsError } from "../../core/errors.js";
import { ExitCode } from "../../core/exit-codes.js";

export interface TerraformRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface TerraformCli {
  binary: string;
  run(cwd: string, args: string[], options?: { onOutput?: (line: string) => void }): Promise<TerraformRun>;
  version(): Promise<string | undefined>;
}

export function createTerraformCli(binary: string, signal: AbortSignal, env: NodeJS.ProcessEnv = process.env): TerraformCli {
  const childEnv = { ...env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  const run: TerraformCli["run"] = async (cwd, args, options = {}) => {
    const child = execa(binary, args, {
      cwd,
      env: childEnv,
      extendEnv: false,
      reject: false,
      stdin: "ignore",
      cancelSignal: signal,
      // terraform stops cleanly on SIGTERM (releases the state lock); give it time before SIGKILL.
      forceKillAfterDelay: 60_000,
    });
    if (options.onOutput) {
      const forward = (chunk: Buffer | string) => {
        for (const line of chunk.toString().split("\n")) if (line.trim() !== "") options.onOutput?.(line);
      };
      child.stdout?.on("data", forward);
      child.stderr?.on("data", forward);
    }
    const result = await child;
    if (result.isCanceled) throw signal.reason instanceof Error ? signal.reason : new Error("interrupted");
    if (result.exitCode === undefined && result.signal) {
      throw new OpsError(`${binary} ${args[0] ?? ""} was killed by ${result.signal} in ${cwd}`, { code: "terraform_killed", exitCode: ExitCode.remote, hint: "re-run; if the state is locked afterwards, see the lock ID in terraform's message" });
    }
    if (result.exitCode === undefined) {
      const reason = result.code === "ENOENT" ? `${binary} was not found` : result.message;
      throw new OpsError(`could not run ${binary}: ${reason}`, { code: "terraform_missing", exitCode: ExitCode.usage, hint: `${INSTALL_HINTS.terraform}, or pass --terraform-bin PATH (OPSCTL_TERRAFORM_BIN)` });
    }
    return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
  };
  return {
    binary,
    run,
    async version() {
      try {
        const out = await run(process.cwd(), ["version", "-json"]);
        const parsed = JSON.parse(out.stdout) as { terraform_version?: unknown };
        return typeof parsed.terraform_version === "string" ? parsed.terraform_version : undefined;
      } catch (err) {
        if (err instanceof OpsError) throw err;
        return undefined;
      }
    },
  };
}
