/**
 * The opsctl program: builds the commander program from the table of contents, parses strictly,
 * runs the chosen command, renders its result, and maps every outcome to an exit code.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { COMMANDS, GROUP_SUMMARIES } from "./commands/registry.js";
import type { CommandSpec } from "./core/command.js";
import { createContext, type GlobalOptions } from "./core/context.js";
import { errorMessage, InterruptedError, isOpsError } from "./core/errors.js";
import { EXIT_CODE_TABLE, ExitCode } from "./core/exit-codes.js";
import { type Envelope, type OutputStreams, writeJson, writeText } from "./core/output.js";
import { redact } from "./core/redact.js";

export function opsctlVersion(): string {
  for (const rel of ["../../package.json", "../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "opsctl" && pkg.version) return pkg.version;
    } catch {
      // try the next location (dist/cli/main.js vs cli/main.ts under tsx)
    }
  }
  return "0.0.0-unknown";
}

interface Invocation {
  spec: CommandSpec;
  args: string[];
  options: Record<string, unknown>;
  global: GlobalOptions;
}

const EXIT_HELP = `
Exit codes:
${EXIT_CODE_TABLE.map(([code, text]) => `  ${String(code).padStart(3)}  ${text}`).join("\n")}

Runbooks: runbooks/README.md (opsctl runbook list)`;

function buildProgram(streams: OutputStreams, env: NodeJS.ProcessEnv, onInvoke: (inv: Invocation) => void): Command {
  const program = new Command("opsctl")
    .description("Operate a messaging backend on Google Cloud: config, synth, state cleanup, secrets, deploys, idempotency repair")
    .version(opsctlVersion(), "-V, --version", "print the version")
    .addOption(new Option("--env <name>", "environment: loads config/<name>.yaml|yml|json").env("OPSCTL_ENV"))
    .option("--config <file>", "load this environment document instead of config/<env>.*")
    .option("--project <id>", "Google Cloud project (overrides GOOGLE_CLOUD_PROJECT and config)")
    .option("--region <region>", "region (overrides config)")
    .option("--json", "print one JSON document on stdout (logs go to stderr)", false)
    .option("--dry-run", "show what would change; change nothing", false)
    .option("-y, --yes", "do not prompt; required for mutations when stdin is not a terminal", false)
    .option("-v, --verbose", "debug logs and stack traces", false)
    .addOption(new Option("--log-format <format>", "log format on stderr").choices(["text", "json"]).default(env.CLOUD_RUN_JOB ? "json" : "text"))
    .helpOption("-h, --help", "show help")
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText("after", EXIT_HELP)
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => streams.stdout.write(s),
      writeErr: (s) => streams.stderr.write(s),
      outputError: () => {
        // Reported by the entry point (text or JSON envelope), not by commander.
      },
    });

  const groups = new Map<string, Command>();
  // Groups nest: ["pubsub", "dlq", "replay"] lives under `pubsub` → `dlq`; summaries are keyed by
  // the group's path ("pubsub dlq"). A command may also be a group (`deploy` runs, `deploy history`
  // is its subcommand): both share one Command, keyed by its path.
  const groupFor = (path: string[]): Command => {
    const key = path.join(" ");
    let group = groups.get(key);
    if (!group) {
      const parent = path.length === 1 ? program : groupFor(path.slice(0, -1));
      group = parent.command(path.at(-1) ?? key).description(GROUP_SUMMARIES[key] ?? "").allowExcessArguments(false);
      group.exitOverride();
      groups.set(key, group);
    }
    return group;
  };

  for (const spec of COMMANDS) {
    if (spec.path.length === 0) continue;
    const key = spec.path.join(" ");
    const parent = spec.path.length === 1 ? program : groupFor(spec.path.slice(0, -1));
    const leafName = spec.path.at(-1) ?? "";
    const existing = groups.get(key);
    const cmd = (existing ?? parent.command(leafName)).description(spec.description ? `${spec.summary}\n\n${spec.description}` : spec.summary).summary(spec.summary).allowExcessArguments(false);
    cmd.exitOverride();
    groups.set(key, cmd);
    for (const arg of spec.arguments ?? []) cmd.argument(arg.name, arg.description);
    for (const opt of spec.options ?? []) {
      const option = new Option(opt.flags, opt.description);
      if (opt.default !== undefined) option.default(opt.default);
      if (opt.choices) option.choices(opt.choices);
      if (opt.repeatable) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
      cmd.addOption(option);
    }
    cmd.action((...received: unknown[]) => {
      const command = received.at(-1) as Command;
      const args = received.slice(0, spec.arguments?.length ?? 0).map((a) => (Array.isArray(a) ? a.join(" ") : (a as string | undefined) ?? "")).filter((a) => a !== "");
      const g = command.optsWithGlobals<Record<string, unknown>>();
      onInvoke({
        spec,
        args,
        // Options given after `deploy history` but declared by the `deploy` command too are parsed
        // by the parent: merge its values under the leaf's own.
        options: { ...(command.parent && command.parent !== program ? command.parent.opts() : {}), ...Object.fromEntries(Object.entries(command.opts()).filter(([, v]) => v !== undefined)) },
        global: {
          env: g.env as string | undefined,
          config: g.config as string | undefined,
          project: g.project as string | undefined,
          region: g.region as string | undefined,
          json: g.json === true,
          dryRun: g.dryRun === true,
          yes: g.yes === true,
          verbose: g.verbose === true,
          logFormat: g.logFormat === "json" ? "json" : "text",
        },
      });
    });
  }
  return program;
}

export interface RunOptions {
  argv: string[];
  streams: OutputStreams;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** Runs one invocation and returns its exit code. Never throws. */
export async function runCli({ argv, streams, stdin, env, signal }: RunOptions): Promise<number> {
  let invocation: Invocation | undefined;
  const wantsJson = argv.includes("--json");
  const program = buildProgram(streams, env, (inv) => {
    invocation = inv;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") {
        return err.code === "commander.help" && argv.length > 0 && !argv.includes("--help") && !argv.includes("-h") ? ExitCode.usage : ExitCode.ok;
      }
      const message = usageMessage(err);
      return reportError(streams, wantsJson, argv.filter((a) => !a.startsWith("-")).slice(0, 2).join(" ") || "opsctl", {
        code: "usage",
        exitCode: ExitCode.usage,
        message,
        hint: "see `opsctl --help` or `opsctl <command> --help`",
      });
    }
    return reportInternal(streams, wantsJson, "opsctl", err, argv.includes("-v") || argv.includes("--verbose"));
  }
  if (!invocation) return ExitCode.usage;

  const { spec, args, options, global } = invocation;
  const commandName = spec.path.join(" ");
  const ctx = createContext({ command: commandName, global, streams, stdin, signal, env });
  try {
    const module = await spec.load();
    const result = await module.run({ args, options, ctx });
    const exitCode = result.exitCode ?? ExitCode.ok;
    if (global.json) writeJson(streams, { ok: exitCode === ExitCode.ok, command: commandName, result: result.data });
    else if (result.human !== undefined) writeText(streams.stdout, result.human);
    else writeText(streams.stdout, JSON.stringify(result.data, null, 2));
    return exitCode;
  } catch (err) {
    if (signal.aborted || err instanceof InterruptedError || (err instanceof Error && err.name === "AbortError")) {
      const interrupted = err instanceof InterruptedError ? err : new InterruptedError(`interrupted: ${errorMessage(err)}`);
      return reportError(streams, global.json, commandName, { code: interrupted.code, exitCode: ExitCode.interrupted, message: interrupted.message, hint: interrupted.hint });
    }
    if (isOpsError(err)) {
      if (global.verbose && err.cause) streams.stderr.write(`${redact(String((err.cause as Error).stack ?? err.cause))}\n`);
      return reportError(streams, global.json, commandName, { code: err.code, exitCode: err.exitCode, message: err.message, hint: err.hint, runbook: err.runbook, details: err.details });
    }
    return reportInternal(streams, global.json, commandName, err, global.verbose);
  }
}

/** What parsing one command line (without running it) concluded: used by the docs-drift test. */
export interface ParseCheck {
  ok: boolean;
  /** the command path that would run, e.g. "pubsub dlq replay" */
  command?: string;
  /** commander's error code (commander.unknownCommand, commander.unknownOption, ...) */
  code?: string;
  message?: string;
}

/**
 * Parses `argv` against the real command table and reports what would run, without loading or
 * running any command module (the action only records the invocation).
 */
export async function parseOnly(argv: string[]): Promise<ParseCheck> {
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  let invoked: string | undefined;
  const program = buildProgram({ stdout: sink, stderr: sink }, {}, (inv) => {
    invoked = inv.spec.path.join(" ");
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return { ok: true, command: "(help)" };
      return { ok: false, code: err.code, message: err.message.replace(/^error: /, "") };
    }
    return { ok: false, code: "exception", message: errorMessage(err) };
  }
  return invoked ? { ok: true, command: invoked } : { ok: false, code: "commander.help", message: "no command selected (a group without a sub-command)" };
}

/**
 * Commander's message without echoing argument values: a stray positional may be a secret pasted
 * on the command line (`secrets rotate X s3cr3t`), and argv must never reach the output.
 */
export function usageMessage(err: CommanderError): string {
  const message = err.message.replace(/^error: /, "");
  if (err.code === "commander.excessArguments") {
    const m = /^too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)/.exec(message);
    return m ? `too many arguments${m[1] ? ` for '${m[1]}'` : ""}: expected ${m[2]}, got ${m[3]} (values not shown)` : "too many arguments";
  }
  // `--flag=value` forms: keep the flag, drop the value.
  return message.replace(/'(--?[A-Za-z][\w-]*)=[^']*'/g, "'$1=…'");
}

type ErrorBody = NonNullable<Envelope["error"]>;

function reportError(streams: OutputStreams, json: boolean, command: string, error: ErrorBody): number {
  const runbook = error.runbook ? `runbooks/${error.runbook}.md` : undefined;
  if (json) {
    const body: ErrorBody = { code: error.code, exitCode: error.exitCode, message: error.message };
    if (error.hint) body.hint = error.hint;
    if (runbook) body.runbook = runbook;
    if (error.details !== undefined) body.details = error.details;
    writeJson(streams, { ok: false, command, error: body });
  } else {
    const lines = [`error: ${error.message}`];
    if (error.hint) lines.push(`  hint: ${error.hint}`);
    if (runbook) lines.push(`  see ${runbook}`);
    writeText(streams.stderr, lines.join("\n"));
  }
  return error.exitCode;
}

function reportInternal(streams: OutputStreams, json: boolean, command: string, err: unknown, verbose: boolean): number {
  if (verbose && err instanceof Error && err.stack) streams.stderr.write(`${redact(err.stack)}\n`);
  return reportError(streams, json, command, {
    code: "internal",
    exitCode: ExitCode.internal,
    message: `internal error (this is a bug in opsctl ${opsctlVersion()}, node ${process.versions.node}): ${errorMessage(err)}`,
    hint: verbose ? "please report it with the stack trace above" : "re-run with -v for the stack trace and report it",
  });
}

export type ParsedInvocation = { ok: true; command: string; options: Record<string, unknown>; args: string[] } | { ok: false; error: string };

/**
 * Parses argv against the real command table and runs nothing: for checks that CI pipelines and
 * docs only call commands and flags that exist (test/ci/pipelines.test.ts).
 */
export function parseInvocation(argv: string[]): ParsedInvocation {
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  let invocation: Invocation | undefined;
  const program = buildProgram({ stdout: sink, stderr: sink }, {}, (inv) => {
    invocation = inv;
  });
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    return { ok: false, error: err instanceof CommanderError ? err.message : errorMessage(err) };
  }
  if (!invocation) return { ok: false, error: "no command (only a group or --help)" };
  return { ok: true, command: invocation.spec.path.join(" "), options: invocation.options, args: invocation.args };
}
