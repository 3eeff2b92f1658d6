/**
 * Runs the built CLI (dist/cli/main.js) as a subprocess, the way users and CI do, and parses its
 * --json envelope. `npm test` builds first; a missing build is reported, not silently skipped.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const OPSCTL_BIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export interface OpsctlRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** the parsed --json envelope, when stdout held one */
  json: { ok: boolean; command: string; result?: unknown; error?: { code: string; exitCode: number; message: string; hint?: string; runbook?: string; details?: unknown } } | undefined;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
  /** called with the child once it started (to send signals) */
  onSpawn?: (child: import("node:child_process").ChildProcess) => void;
}

export function runOpsctl(args: string[], options: RunOptions = {}): Promise<OpsctlRun> {
  if (!existsSync(OPSCTL_BIN)) throw new Error(`${OPSCTL_BIN} is missing: run \`npm run build\` (npm test does it)`);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...options.env };
  for (const [k, v] of Object.entries(options.env ?? {})) if (v === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OPSCTL_BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    options.onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      let json: OpsctlRun["json"];
      if (stdout.trimStart().startsWith("{")) {
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
      }
      resolve({ code, signal, stdout, stderr, json });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}
