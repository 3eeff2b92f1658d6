/** Polling with a deadline and the Ctrl-C signal: the platform is eventually consistent. */
import { InterruptedError } from "../core/errors.js";

/** Poll interval; tests and benches shorten it through OPSCTL_RUN_POLL_MS. */
export function pollIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.OPSCTL_RUN_POLL_MS);
  return Number.isFinite(v) && v > 0 ? v : 1_000;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function abortReason(signal: AbortSignal | undefined): InterruptedError {
  return signal?.reason instanceof InterruptedError ? signal.reason : new InterruptedError();
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
