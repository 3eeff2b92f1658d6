/**
 * The shape of a command: a declarative spec in the table of contents (no imports, so --help stays
 * fast) and a lazily imported module whose `run` takes typed input and returns data.
 */
import type { CommandContext } from "./context.js";

export interface OptionSpec {
  /** commander flags, e.g. "--service <name>" or "--repair" */
  flags: string;
  description: string;
  default?: string | boolean | string[];
  choices?: string[];
  /** collect repeated values into an array */
  repeatable?: boolean;
}

export interface ArgumentSpec {
  /** "<dir>" (required) or "[dir]" (optional) */
  name: string;
  description: string;
}

export interface CommandSpec {
  /** words of the command path: ["config", "validate"] */
  path: string[];
  summary: string;
  /** longer help shown by `opsctl <path> --help` */
  description?: string;
  arguments?: ArgumentSpec[];
  options?: OptionSpec[];
  /** a command that changes something: honours --dry-run and the confirmation guard */
  mutates?: boolean;
  load: () => Promise<CommandModule>;
}

export interface CommandResult<T = unknown> {
  data: T;
  /** text for humans; omitted under --json */
  human?: string;
  /** 0 ok (default) or 1 the check found problems */
  exitCode?: 0 | 1;
}

export interface CommandInput {
  args: string[];
  options: Record<string, unknown>;
  ctx: CommandContext;
}

export interface CommandModule {
  run(input: CommandInput): Promise<CommandResult>;
}

/** Narrow a parsed option without casting at every call site. */
export function stringOption(options: Record<string, unknown>, name: string): string | undefined {
  const v = options[name];
  return typeof v === "string" ? v : undefined;
}

export function booleanOption(options: Record<string, unknown>, name: string): boolean {
  return options[name] === true;
}

export function stringListOption(options: Record<string, unknown>, name: string): string[] {
  const v = options[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" ? [v] : [];
}
