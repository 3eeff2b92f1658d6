/**
 * The confirmation guard for mutations. The prompt text is built by the caller from the real scope
 * (what will change, on which resources). Without a TTY the only way through is --yes.
 */
import { createInterface } from "node:readline/promises";
import { refusedError } from "./errors.js";

export interface ConfirmOptions {
  yes: boolean;
  dryRun: boolean;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  /** per-item commands to print when declined, so the user can act by hand */
  equivalentCommands?: string[];
}

/** Resolves when the mutation may proceed; throws OpsError (exit 4) when it may not. */
export async function confirmMutation(question: string, options: ConfirmOptions): Promise<void> {
  if (options.yes) return;
  if (!options.stdin.isTTY) {
    throw refusedError(`refusing to ${question} without confirmation: stdin is not a terminal`, "re-run with --yes to confirm non-interactively, or --dry-run to see the plan", "confirmation_required");
  }
  const rl = createInterface({ input: options.stdin, output: options.stderr });
  try {
    const answer = (await rl.question(`${question}? [y/N] `)).trim().toLowerCase();
    if (answer === "y" || answer === "yes") return;
  } finally {
    rl.close();
  }
  const manual = options.equivalentCommands?.length ? ` Equivalent commands:\n  ${options.equivalentCommands.join("\n  ")}` : "";
  throw refusedError(`declined: nothing was changed.${manual}`, undefined, "confirmation_declined");
}
