/**
 * What opsctl adds on top of terraform: `opsctl plan` over three terraform_data stacks (the test
 * fixture, already applied) against the shell loop a pipeline would otherwise run
 * (`terraform init && terraform plan -out` per stack). Same terraform binary, same stacks.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./measure.js";
import type { BenchSuite } from "./run.js";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const fixture = fileURLToPath(new URL("../test/fixtures/terraform-stacks/", import.meta.url));
const config = fileURLToPath(new URL("../config/dev.yaml", import.meta.url));

function timeMs(command: string, args: string[], cwd: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(command, args, { cwd, stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

const suite: BenchSuite = {
  name: "plan over 3 stacks (median of 5, ms)",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "opsctl-bench-plan-"));
    try {
      cpSync(fixture, join(dir, "cdktf.out"), { recursive: true });
      const applied = spawnSync(process.execPath, [bin, "apply", "--yes", "--config", config], { cwd: dir, stdio: "ignore" });
      if (applied.status !== 0) throw new Error(`opsctl apply exited ${applied.status}`);
      const loop = "for s in network data services; do (cd cdktf.out/stacks/$s && terraform init -input=false >/dev/null && terraform plan -input=false -detailed-exitcode -out=raw.tfplan >/dev/null; test $? -ne 1) || exit 1; done";
      const raw = timeMs("sh", ["-c", loop], dir, 5);
      const opsctl = timeMs(process.execPath, [bin, "plan", "--config", config], dir, 5);
      const one = timeMs(process.execPath, [bin, "plan", "--stack", "network", "--config", config], dir, 5);
      return [
        { name: "terraform init+plan x3 (shell loop)", value: raw, unit: "ms" },
        { name: "opsctl plan (3 stacks)", value: opsctl, unit: "ms" },
        { name: "opsctl plan --stack network", value: one, unit: "ms" },
        { name: "opsctl plan / shell loop", value: opsctl / raw, unit: "x", note: "fixed cost: node start, config validation, terraform version (inits run concurrently); with real providers a plan takes 10-60 s per stack" },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default suite;
