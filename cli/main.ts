#!/usr/bin/env node
/**
 * The opsctl entry point: wires signals to an abort signal, runs the program, exits with its code.
 * This is the only file that calls process.exit.
 */
import { InterruptedError } from "./core/errors.js";
import { ExitCode } from "./core/exit-codes.js";
import { runCli } from "./program.js";

async function main(): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    process.stderr.write(`\n${signal}: stopping cleanly (press Ctrl-C again to force)\n`);
    controller.abort(new InterruptedError(`interrupted by ${signal}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const code = await runCli({ argv: process.argv.slice(2), streams: { stdout: process.stdout, stderr: process.stderr }, stdin: process.stdin, env: process.env, signal: controller.signal });
  // Let stdout drain before exiting: a piped --json document must arrive whole.
  process.stdout.write("", () => process.exit(code));
}

await main();
