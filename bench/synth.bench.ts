import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfigFile } from "../config/load.js";
import { median, medianRunMs } from "./measure.js";
import type { BenchSuite } from "./run.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "dist/cli/main.js");
const app = join(root, "dist/cdktf/main.js");
const rootImports = join(root, "bench/synth-root-imports.mjs");

/**
 * Median CPU time (user + system, ms) through /usr/bin/time: on a shared, loaded machine wall time
 * mostly measures the neighbours, CPU time what the synth itself costs. NaN without /usr/bin/time.
 */
function medianCpuMs(args: string[], env: NodeJS.ProcessEnv, runs = 5): number {
  if (!existsSync("/usr/bin/time")) return Number.NaN;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync("/usr/bin/time", ["-f", "cpu %U %S", process.execPath, ...args], { env, encoding: "utf8" });
    const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
    if (m) times.push((Number(m[1]) + Number(m[2])) * 1000);
  }
  return times.length ? median(times) : Number.NaN;
}

const suite: BenchSuite = {
  name: "synth (median of 5, ms)",
  async run() {
    process.chdir(root);
    const out = mkdtempSync(join(tmpdir(), "opsctl-bench-synth-"));
    try {
      // The app runs as `opsctl synth` runs it: with the validated document as JSON.
      const document = JSON.stringify(loadConfigFile(join(root, "config/dev.yaml")).config);
      const env = { ...process.env, OPSCTL_CONFIG_JSON: document, OPSCTL_OUT: join(out, "app"), OPSCTL_SKIP_POLICY: "1" };
      const cli = medianRunMs(process.execPath, [bin, "synth", "--env", "dev", "--out", join(out, "cli")], 5);
      const deep = medianRunMs(process.execPath, [app], 5, env);
      const rootImport = medianRunMs(process.execPath, [rootImports], 5, { ...env, OPSCTL_OUT: join(out, "root") });
      const deepCpu = medianCpuMs([app], env);
      const rootCpu = medianCpuMs([rootImports], { ...env, OPSCTL_OUT: join(out, "root") });
      const cliCpu = medianCpuMs([bin, "synth", "--env", "dev", "--out", join(out, "cli")], process.env);
      return [
        { name: "opsctl synth --env dev (all stacks, rules)", value: cli, unit: "ms", note: "target < 1500" },
        { name: "CDKTF app, deep provider imports", value: deep, unit: "ms" },
        { name: "CDKTF app, package-root provider import", value: rootImport, unit: "ms" },
        { name: "root import / deep imports", value: rootImport / deep, unit: "x", note: "target >= 4" },
        { name: "CPU: opsctl synth --env dev (both processes)", value: cliCpu, unit: "ms" },
        { name: "CPU: CDKTF app, deep imports", value: deepCpu, unit: "ms" },
        { name: "CPU: CDKTF app, root import", value: rootCpu, unit: "ms" },
        { name: "CPU: root import / deep imports", value: rootCpu / deepCpu, unit: "x", note: "target >= 4" },
      ];
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};
export default suite;
