/**
 * One retry policy for every Google call opsctl makes, expressed through google-gax's own retry
 * settings (it sleeps a random fraction of the current delay: full-jitter exponential backoff).
 * Retried: ABORTED (HTTP 409 contention, seed 000), UNAVAILABLE (503), RESOURCE_EXHAUSTED (429),
 * and DEADLINE_EXCEEDED for reads. Never ALREADY_EXISTS (also 409, but not transient).
 */
import type { CallOptions } from "google-gax";

export const RETRY_CODES = { ABORTED: 10, UNAVAILABLE: 14, RESOURCE_EXHAUSTED: 8, DEADLINE_EXCEEDED: 4 } as const;

export interface RetryTuning {
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
  rpcTimeoutMs: number;
  totalTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryTuning = {
  initialDelayMs: 200,
  multiplier: 2,
  maxDelayMs: 30_000,
  rpcTimeoutMs: 60_000,
  totalTimeoutMs: 180_000,
};

/** Tests shorten the schedule through the environment, never by patching code. */
export function retryTuningFromEnv(env: NodeJS.ProcessEnv = process.env): RetryTuning {
  const total = Number(env.OPSCTL_RETRY_TOTAL_MS);
  const initial = Number(env.OPSCTL_RETRY_INITIAL_MS);
  return {
    ...DEFAULT_RETRY,
    ...(Number.isFinite(total) && total > 0 ? { totalTimeoutMs: total } : {}),
    ...(Number.isFinite(initial) && initial > 0 ? { initialDelayMs: initial } : {}),
  };
}

/** Call options for a gax method. `idempotentRead` adds DEADLINE_EXCEEDED to the retried codes. */
export async function retryCallOptions(kind: "read" | "write", tuning = retryTuningFromEnv()): Promise<CallOptions> {
  const { createRetryOptions, createBackoffSettings } = await import("google-gax");
  const codes: number[] = [RETRY_CODES.ABORTED, RETRY_CODES.UNAVAILABLE, RETRY_CODES.RESOURCE_EXHAUSTED];
  if (kind === "read") codes.push(RETRY_CODES.DEADLINE_EXCEEDED);
  return {
    retry: createRetryOptions(
      codes,
      createBackoffSettings(tuning.initialDelayMs, tuning.multiplier, tuning.maxDelayMs, tuning.rpcTimeoutMs, 1, tuning.rpcTimeoutMs, tuning.totalTimeoutMs),
    ),
  };
}
