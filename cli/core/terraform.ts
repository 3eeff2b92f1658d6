/**
 * Terraform (or OpenTofu) run through execa, for the state subcommands only: list, pull, rm, push,
 * force-unlock. The binary is --terraform-bin, else OPSCTL_TERRAFORM_BIN, else `terraform` on PATH,
 * else `tofu`. The whole environment is passed through (TF_CLI_CONFIG_FILE, credentials, ...).
 *
 * Why a scratch directory: `terraform init` in a synthesized stack directory installs the providers
 * the stack declares (google), which needs the registry. State subcommands need only the backend, so
 * opsctl copies the stack's `terraform.backend` block (a relative local path made absolute) into
 * `<stack>/.opsctl-terraform/` and initializes there: offline for a local backend, and the same GCS
 * bucket/prefix as the stack for a gcs backend. `state rm` then works on a state that holds google_*
 * resources without the google provider installed (verified with terraform 1.11).
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { ExitCode } from "./exit-codes.js";
import { OpsError, usageError } from "./errors.js";
import { findExecutable } from "./prerequisites.js";

export interface StateResourceInstance {
  index_key?: string | number;
  attributes?: Record<string, unknown>;
}

export interface StateResource {
  module?: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  instances: StateResourceInstance[];
}

/** The parts of a v4 state file opsctl reads. */
export interface TerraformState {
  version: number;
  serial: number;
  lineage: string;
  resources: StateResource[];
}

export interface StateEntry {
  address: string;
  type: string;
  attributes: Record<string, unknown>;
}

export interface LockInfo {
  id: string;
  who?: string;
  operation?: string;
  created?: string;
}

export const STATE_RUNBOOK = "terraform-state-drift";

/** Every managed resource instance of a state, with its address as `terraform state list` prints it. */
export function stateEntries(state: TerraformState): StateEntry[] {
  const out: StateEntry[] = [];
  for (const r of state.resources ?? []) {
    if (r.mode !== "managed") continue;
    for (const inst of r.instances ?? []) {
      const key = inst.index_key === undefined ? "" : typeof inst.index_key === "number" ? `[${inst.index_key}]` : `[${JSON.stringify(inst.index_key)}]`;
      out.push({ address: `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}${key}`, type: r.type, attributes: inst.attributes ?? {} });
    }
  }
  return out;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The one terraform resolver (state commands and plan/apply/destroy): --terraform-bin, else
 * OPSCTL_TERRAFORM_BIN, else `terraform` on PATH, else `tofu`. */
export function resolveTerraformBin(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const hint = "install terraform >= 1.5 (or OpenTofu), or pass --terraform-bin PATH (or set OPSCTL_TERRAFORM_BIN)";
  const explicit = flag ?? env.OPSCTL_TERRAFORM_BIN;
  if (explicit) {
    const found = explicit.includes("/") ? (isExecutable(explicit) ? explicit : undefined) : findExecutable(explicit, env);
    if (!found) throw new OpsError(`terraform binary "${explicit}" not found or not executable`, { code: "terraform_missing", exitCode: ExitCode.usage, hint });
    return found;
  }
  const found = findExecutable("terraform", env) ?? findExecutable("tofu", env);
  if (!found) throw new OpsError("neither terraform nor tofu is on PATH", { code: "terraform_missing", exitCode: ExitCode.usage, hint });
  return found;
}

/** Parse Terraform's "Error acquiring the state lock" text into who holds it. */
export function parseLockError(stderr: string): LockInfo | undefined {
  if (!/Error acquiring the state lock/i.test(stderr)) return undefined;
  const field = (name: string) => new RegExp(`^\\s*${name}:\\s*(.*)$`, "m").exec(stderr)?.[1]?.trim() || undefined;
  return { id: field("ID") ?? "unknown", who: field("Who"), operation: field("Operation"), created: field("Created") };
}

/** Terraform's stderr without the noise of a missing ~/.terraformrc and box-drawing characters. */
function cleanStderr(text: string): string {
  return text
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .filter((l) => !/CLI configuration|\.terraformrc|problems with the CLI configuration/i.test(l))
    .map((l) => l.replace(/^[│╷╵]\s?/, ""))
    .filter((l) => l.trim() !== "")
    .join("\n");
}

export class TerraformStateClient {
  private initialized = false;

  constructor(
    readonly bin: string,
    readonly stack: string,
    readonly stackDir: string,
    readonly workDir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly backend: Record<string, unknown>,
  ) {}

  /** Reads `<stackDir>/cdk.tf.json` for its backend; exit 2 when the synth output is missing. */
  static forStack(stack: string, stackDir: string, bin: string, env: NodeJS.ProcessEnv = process.env): TerraformStateClient {
    const file = join(stackDir, "cdk.tf.json");
    if (!existsSync(file)) {
      throw usageError(`stack "${stack}" has no synthesized output: ${file} is missing`, "run `opsctl synth --env ENV` first (or pass --dir to where the stacks were synthesized)");
    }
    let doc: { terraform?: { backend?: Record<string, Record<string, unknown>> } };
    try {
      doc = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw usageError(`${file} is not valid JSON: ${(err as Error).message}`, "re-run `opsctl synth`");
    }
    const absDir = resolve(stackDir);
    const backend = structuredClone(doc.terraform?.backend ?? { local: { path: "terraform.tfstate" } });
    const local = backend.local;
    if (local) {
      const path = typeof local.path === "string" ? local.path : "terraform.tfstate";
      local.path = isAbsolute(path) ? path : join(absDir, path);
    }
    return new TerraformStateClient(bin, stack, absDir, join(absDir, ".opsctl-terraform"), env, backend);
  }

  /** The local state file, when the backend is local (for messages and tests). */
  get localStatePath(): string | undefined {
    const local = this.backend.local as { path?: string } | undefined;
    return local?.path;
  }

  /** The same command a human would type (printed in plans and restore hints). */
  humanCommand(args: string[]): string {
    return `terraform -chdir=${this.workDir} ${args.map((a) => (/[\s"'[\]]/.test(a) ? `'${a}'` : a)).join(" ")}`;
  }

  private async exec(args: string[], what: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    const { execa } = await import("execa");
    const result = await execa(this.bin, args, {
      cwd: this.workDir,
      env: { ...this.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
    });
    if (result.failed && result.exitCode === undefined) {
      throw new OpsError(`${what}: could not run ${this.bin}: ${result.shortMessage}`, { code: "terraform_missing", exitCode: ExitCode.usage, hint: "check --terraform-bin / OPSCTL_TERRAFORM_BIN" });
    }
    return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? 1 };
  }

  private async run(args: string[], what: string): Promise<string> {
    await this.init();
    const r = await this.exec([...args], what);
    if (r.exitCode !== 0) throw this.failure(what, r.stderr);
    return r.stdout;
  }

  private failure(what: string, stderr: string): OpsError {
    const lock = parseLockError(stderr);
    if (lock) {
      const holder = [lock.who ? `by ${lock.who}` : undefined, lock.operation ? `(${lock.operation}` : undefined, lock.created ? `since ${lock.created})` : lock.operation ? ")" : undefined].filter(Boolean).join(" ");
      return new OpsError(`the state of stack "${this.stack}" is locked ${holder}, lock ID ${lock.id}`, {
        code: "state_locked",
        exitCode: ExitCode.refused,
        hint: `wait for that run to finish and re-run; if it is dead (the holder's machine or CI job is gone), re-run with --force-unlock ${lock.id}`,
        runbook: STATE_RUNBOOK,
        details: lock,
      });
    }
    return new OpsError(`${what} for stack "${this.stack}" failed: ${cleanStderr(stderr).slice(0, 1500)}`, { code: "terraform_failed", exitCode: ExitCode.remote, runbook: STATE_RUNBOOK, hint: "run the same terraform command by hand in the directory below to see the full output" });
  }

  async init(): Promise<void> {
    if (this.initialized) return;
    mkdirSync(this.workDir, { recursive: true });
    const backendFile = join(this.workDir, "backend.tf.json");
    const content = `${JSON.stringify({ terraform: { backend: this.backend } }, null, 2)}\n`;
    const unchanged = existsSync(backendFile) && readFileSync(backendFile, "utf8") === content && existsSync(join(this.workDir, ".terraform", "terraform.tfstate"));
    if (!unchanged) {
      writeFileSync(backendFile, content);
      const r = await this.exec(["init", "-input=false", "-no-color", "-reconfigure"], "terraform init (backend only)");
      // init configures the backend first, then installs the providers the *state* requires
      // (google), which fails offline. State subcommands need only the backend, so a failure in
      // the provider step is accepted once the backend is recorded in .terraform/terraform.tfstate.
      const backendReady = existsSync(join(this.workDir, ".terraform", "terraform.tfstate"));
      if (r.exitCode !== 0 && !(backendReady && /provider/i.test(r.stderr) && !/Error acquiring the state lock/i.test(r.stderr))) {
        throw this.failure("terraform init (backend only)", r.stderr);
      }
    }
    this.initialized = true;
  }

  async list(): Promise<string[]> {
    const out = await this.run(["state", "list", "-no-color"], "terraform state list");
    return out.split("\n").map((l) => l.trim()).filter(Boolean);
  }

  /** The state as JSON; an empty state (never applied) is returned as no resources. */
  async pull(): Promise<TerraformState> {
    const out = await this.run(["state", "pull"], "terraform state pull");
    if (!out.trim()) return { version: 4, serial: 0, lineage: "", resources: [] };
    return JSON.parse(out) as TerraformState;
  }

  /**
   * Asks for the state lock without changing anything: `state rm -dry-run` takes the lock like a
   * real `state rm` (terraform 1.11), so a held lock is reported before opsctl touches anything.
   */
  async probeLock(anyAddress: string): Promise<void> {
    await this.run(["state", "rm", "-dry-run", "-lock-timeout=0s", "-no-color", anyAddress], "terraform state lock check");
  }

  async rm(addresses: string[]): Promise<void> {
    if (addresses.length === 0) return;
    await this.run(["state", "rm", "-lock-timeout=0s", "-no-color", ...addresses], "terraform state rm");
  }

  /** `state push` keeps Terraform's own lineage and serial checks (no -force). */
  async push(file: string): Promise<void> {
    await this.run(["state", "push", "-lock-timeout=0s", "-no-color", file], "terraform state push");
  }

  async forceUnlock(id: string): Promise<void> {
    await this.run(["force-unlock", "-force", "-no-color", id], "terraform force-unlock");
  }
}
