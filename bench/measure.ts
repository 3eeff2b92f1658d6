import { spawnSync } from "node:child_process";

/** Median wall time in ms of running `command args` `runs` times (after one warm-up run). */
export function medianRunMs(command: string, args: string[], runs = 7, env: NodeJS.ProcessEnv = process.env): number {
  spawnSync(command, args, { stdio: "ignore", env });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: "ignore", env });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.error) throw result.error;
    times.push(elapsed);
  }
  return median(times);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
