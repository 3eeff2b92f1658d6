/**
 * The table of contents of the whole CLI. Specs only: each command's module is imported when that
 * command runs, so `opsctl --help` loads no Google client and no provider binding.
 * Command groups add their specs in their own `<noun>/specs.ts` and are listed here.
 */
import type { CommandSpec } from "../core/command.js";
import { configSpecs } from "./config/specs.js";
import { doctorSpecs } from "./doctor/specs.js";
import { idempotencySpecs } from "./idempotency/specs.js";

/** One-line help for each group, shown by `opsctl --help`. */
export const GROUP_SUMMARIES: Record<string, string> = {
  config: "validate, show and describe the environment configuration",
  idempotency: "Redis idempotency keys vs Firestore documents: audit and repair",
};

export const COMMANDS: CommandSpec[] = [...doctorSpecs, ...configSpecs, ...idempotencySpecs];
