import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { medianRunMs } from "./measure.js";
import type { BenchSuite } from "./run.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "dist/cli/main.js");
const app = join(root, "dist/cdktf/main.js");
const rootImports = join(root, "bench/synth-root-imports.mjs");

const suite: BenchSuite = {
  name: "synth (median of 5, ms)",
  async run() {
    process.chdir(root);
    const out = mkdtempSync(join(tmpdir(), "opsctl-bench-synth-"));
    try {
      const env = { ...process.env, OPSCTL_ENV: "dev", OPSCTL_OUT: join(out, "app"), OPSCTL_SKIP_POLICY: "1" };
      const cli = medianRunMs(process.execPath, [bin, "synth", "--env", "dev", "--out", join(out, "cli")], 5);
      const deep = medianRunMs(process.execPath, [app], 5, env);
      const rootImport = medianRunMs(process.execPath, [rootImports], 5, { ...env, OPSCTL_OUT: join(out, "root") });
      return [
        { name: "opsctl synth --env dev (3 stacks, rules)", value: cli, unit: "ms", note: "target < 1500" },
        { name: "CDKTF app, deep provider imports", value: deep, unit: "ms" },
        { name: "CDKTF app, package-root provider import", value: rootImport, unit: "ms" },
        { name: "root import / deep imports", value: rootImport / deep, unit: "x", note: "target >= 4" },
      ];
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};
export default suite;
