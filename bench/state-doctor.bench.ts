/**
 * `opsctl state doctor` and `state cleanup` on the seed-000 world (fake network APIs, real
 * terraform on a real state file), against the floor they cannot beat: `terraform state pull` on
 * the same stack. The child runs asynchronously so the in-process fake keeps answering.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startGcpNetworkFake } from "../test/fakes/gcp-network/index.js";
import { DEV_LABELS, makeStacksRoot, seedNetworkStateAfterFailedDestroy, terraformOnPath, writeStack } from "../test/state/stack-fixture.js";
import { median } from "./measure.js";
import type { BenchSuite } from "./run.js";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));

function runMs(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = root): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: "ignore" });
    child.once("error", reject);
    child.once("close", () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

async function medianOf(runs: number, once: () => Promise<number>): Promise<number> {
  await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return median(times);
}

const suite: BenchSuite = {
  name: "state doctor / cleanup (median of 5, ms; fake APIs, real terraform)",
  async run() {
    const terraform = terraformOnPath();
    if (!terraform) return [{ name: "state doctor", value: Number.NaN, unit: "ms", note: "terraform not on PATH: not measured" }];
    const seed = async () => {
      const fake = await startGcpNetworkFake({ operationDelayMs: 0, aetLingerMs: 0 });
      fake.world
        .addNetwork("wa-dev-vpc")
        .addSubnetwork("wa-dev-subnet", "wa-dev-vpc")
        .addGlobalAddress("wa-dev-psa-range", "wa-dev-vpc")
        .addPsaConnection("wa-dev-vpc", "wa-dev-psa-range")
        .addRedis("wa-dev-redis", "wa-dev-vpc", DEV_LABELS);
      const dir = makeStacksRoot();
      writeStack(dir, "network", seedNetworkStateAfterFailedDestroy());
      return { fake, dir, env: { ...process.env, ...fake.env, NO_COLOR: "1" } };
    };
    const world = await seed();
    const stacks = join(world.dir, "stacks");
    const doctor = await medianOf(5, () => runMs(process.execPath, [bin, "--env", "dev", "state", "doctor", "--dir", stacks], world.env));
    const pull = await medianOf(5, () => runMs(terraform, ["state", "pull"], world.env, join(stacks, "network", ".opsctl-terraform")));
    await world.fake.stop();
    rmSync(world.dir, { recursive: true, force: true });

    const cleanups: number[] = [];
    for (let i = 0; i < 3; i++) {
      const w = await seed();
      cleanups.push(await runMs(process.execPath, [bin, "--env", "dev", "state", "cleanup", "--yes", "--poll-interval", "50ms", "--dir", join(w.dir, "stacks")], w.env));
      await w.fake.stop();
      rmSync(w.dir, { recursive: true, force: true });
    }
    const cleanup = median(cleanups);
    return [
      { name: "terraform state pull (floor)", value: pull, unit: "ms" },
      { name: "opsctl state doctor --env dev", value: doctor, unit: "ms" },
      { name: "doctor / state pull", value: doctor / pull, unit: "x", note: "doctor = init check + pull + 8 API lists" },
      { name: "opsctl state cleanup (seed 000, 5 steps)", value: cleanup, unit: "ms", note: "median of 3; operations complete at once in the fake" },
    ];
  },
};
export default suite;
