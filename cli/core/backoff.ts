/**
 * The one hand-written backoff loop in opsctl. Everything that goes through a google-gax client
 * retries with retry-policy.ts instead; this loop exists for the REST-only control-plane calls
 * (Compute, VPC Access, Memorystore, Service Networking, Cloud Run v2 over restClient) where no
 * client library does it for us, and for conditions no transport retry can express: a network
 * that stays `resourceInUseByAnotherResource` until a producer goes away, long-running operations,
 * and `aet-*` firewall rules that Google removes some minutes after their connector.
 * Full-jitter exponential backoff (sleep a random fraction of the current delay), bounded by a
 * deadline, cancelled by the command's abort signal (Ctrl-C).
 */
import { InterruptedError } from "./errors.js";

export interface BackoffOptions {
  /** give up after this many milliseconds from the first attempt */
  deadlineMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  multiplier?: number;
  signal?: AbortSignal;
}

export class DeadlineExceeded extends Error {
  constructor(
    message: string,
    readonly lastError: unknown,
  ) {
    super(message);
    this.name = "DeadlineExceeded";
  }
}

/** The InterruptedError an aborted signal carries (cli/main.ts aborts with one on Ctrl-C). */
export function abortReason(signal: AbortSignal | undefined): InterruptedError {
  return signal?.reason instanceof InterruptedError ? signal.reason : new InterruptedError();
}

/** Sleep `ms`, or reject with InterruptedError as soon as the signal aborts. */
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

/** The delays of a full-jitter exponential schedule (exported for its unit test). */
export function jitteredDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const ceiling = Math.min(cap, initial * (options.multiplier ?? 2) ** attempt);
  return Math.max(1, Math.floor(random() * ceiling));
}

/**
 * Run `attempt` until it succeeds; when it throws an error `retryable` accepts, wait and try again
 * until the deadline, then throw DeadlineExceeded carrying the last error.
 */
export async function retryWithBackoff<T>(attempt: () => Promise<T>, retryable: (err: unknown) => boolean, options: BackoffOptions, onRetry?: (err: unknown, waitMs: number) => void): Promise<T> {
  const started = Date.now();
  for (let n = 0; ; n++) {
    if (options.signal?.aborted) throw new InterruptedError();
    try {
      return await attempt();
    } catch (err) {
      if (!retryable(err)) throw err;
      const elapsed = Date.now() - started;
      if (elapsed >= options.deadlineMs) throw new DeadlineExceeded(`still failing after ${Math.round(elapsed / 1000)}s`, err);
      const wait = Math.min(jitteredDelay(n, options), Math.max(1, options.deadlineMs - elapsed));
      onRetry?.(err, wait);
      await sleep(wait, options.signal);
    }
  }
}

/** Poll `check` until it returns a value other than undefined, or throw DeadlineExceeded. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, what: string, options: BackoffOptions & { intervalMs: number }): Promise<T> {
  const started = Date.now();
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError();
    const value = await check();
    if (value !== undefined) return value;
    const elapsed = Date.now() - started;
    if (elapsed >= options.deadlineMs) throw new DeadlineExceeded(`${what}: not done after ${Math.round(elapsed / 1000)}s`, undefined);
    await sleep(Math.min(options.intervalMs, Math.max(1, options.deadlineMs - elapsed)), options.signal);
  }
}

/** "30s", "250ms", "10m", "1h" → milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2];
  return unit === "ms" ? n : unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : n * 3_600_000;
}
