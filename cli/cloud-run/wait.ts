/** Polling with a deadline and the Ctrl-C signal: the platform is eventually consistent. */
import { abortReason, sleep } from "../core/backoff.js";

export { abortReason, sleep };

/** Poll interval; tests and benches shorten it through OPSCTL_RUN_POLL_MS. */
export function pollIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.OPSCTL_RUN_POLL_MS);
  return Number.isFinite(v) && v > 0 ? v : 1_000;
}

/** Calls `probe` until it returns a value (not undefined) or the deadline passes (returns undefined). */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, opts: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal }): Promise<T | undefined> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? pollIntervalMs();
  for (;;) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() + interval > deadline) return undefined;
    await sleep(interval, opts.signal);
  }
}
