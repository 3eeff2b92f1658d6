/**
 * One error type for every deliberate failure: what failed, why, what to do next (hint), which
 * runbook explains it, and the original cause. Anything else reaching the entry point is a bug (70).
 */
import { ExitCode, type ExitCodeValue } from "./exit-codes.js";

export interface OpsErrorOptions {
  /** stable machine-readable id, e.g. "config_invalid"; appears as error.code in --json */
  code: string;
  exitCode: ExitCodeValue;
  hint?: string;
  /** runbook name: runbooks/<name>.md */
  runbook?: string;
  cause?: unknown;
  /** structured detail for --json (e.g. the list of config issues) */
  details?: unknown;
}

export class OpsError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly runbook: string | undefined;
  readonly details: unknown;

  constructor(message: string, options: OpsErrorOptions) {
    super(message, { cause: options.cause });
    this.name = "OpsError";
    this.code = options.code;
    this.exitCode = options.exitCode;
    this.hint = options.hint;
    this.runbook = options.runbook;
    this.details = options.details;
  }
}

export const usageError = (message: string, hint?: string, details?: unknown): OpsError =>
  new OpsError(message, { code: "usage", exitCode: ExitCode.usage, hint, details });

export const refusedError = (message: string, hint?: string, code = "refused"): OpsError =>
  new OpsError(message, { code, exitCode: ExitCode.refused, hint });

/** Raised when the user interrupts; the entry point maps it to 130. */
export class InterruptedError extends OpsError {
  constructor(message = "interrupted") {
    super(message, { code: "interrupted", exitCode: ExitCode.interrupted });
  }
}

/** Wrap a Google/Redis/terraform failure with what was attempted, on which resource. */
export function remoteError(attempt: string, cause: unknown, extra: { hint?: string; runbook?: string; code?: string } = {}): OpsError {
  return new OpsError(`${attempt} failed: ${errorMessage(cause)}`, {
    code: extra.code ?? "remote",
    exitCode: ExitCode.remote,
    hint: extra.hint ?? "check credentials (opsctl doctor), network reachability and quotas, then re-run: the command is safe to repeat",
    runbook: extra.runbook,
    cause,
  });
}

export function isOpsError(value: unknown): value is OpsError {
  return value instanceof OpsError;
}

export function errorMessage(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Numeric gRPC status / HTTP status of a Google client error, when it has one. */
export function errorStatus(value: unknown): { code?: number; status?: number } {
  if (value === null || typeof value !== "object") return {};
  const v = value as Record<string, unknown>;
  const out: { code?: number; status?: number } = {};
  if (typeof v.code === "number") out.code = v.code;
  if (typeof v.status === "number") out.status = v.status;
  else if (v.response && typeof v.response === "object" && typeof (v.response as Record<string, unknown>).status === "number") out.status = (v.response as { status: number }).status;
  return out;
}
