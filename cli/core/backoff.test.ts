import { describe, expect, it } from "vitest";
import { DeadlineExceeded, jitteredDelay, parseDuration, pollUntil, retryWithBackoff } from "./backoff.js";
import { InterruptedError } from "./errors.js";

describe("jitteredDelay", () => {
  it("GIVEN attempts WHEN the delay is drawn THEN it stays under the exponential ceiling and the cap", () => {
    const opts = { deadlineMs: 1_000, initialDelayMs: 100, maxDelayMs: 1_000 };
    expect(jitteredDelay(0, opts, () => 0.999)).toBe(99);
    expect(jitteredDelay(3, opts, () => 0.5)).toBe(400);
    expect(jitteredDelay(20, opts, () => 0.999)).toBe(999);
    expect(jitteredDelay(0, opts, () => 0)).toBe(1);
  });
});

describe("retryWithBackoff", () => {
  it("GIVEN two retryable failures THEN the third attempt's value is returned", async () => {
    let n = 0;
    const seen: unknown[] = [];
    const value = await retryWithBackoff(
      async () => {
        n += 1;
        if (n < 3) throw new Error(`in use ${n}`);
        return "done";
      },
      () => true,
      { deadlineMs: 5_000, initialDelayMs: 1, maxDelayMs: 2 },
      (err) => seen.push((err as Error).message),
    );
    expect(value).toBe("done");
    expect(seen).toEqual(["in use 1", "in use 2"]);
  });

  it("GIVEN a non-retryable failure THEN it is thrown at once", async () => {
    await expect(retryWithBackoff(() => Promise.reject(new Error("bad request")), () => false, { deadlineMs: 5_000 })).rejects.toThrow("bad request");
  });

  it("GIVEN a failure that never clears THEN DeadlineExceeded carries the last error", async () => {
    const err = await retryWithBackoff(() => Promise.reject(new Error("still in use")), () => true, { deadlineMs: 30, initialDelayMs: 5, maxDelayMs: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceeded);
    expect(((err as DeadlineExceeded).lastError as Error).message).toBe("still in use");
  });

  it("GIVEN an aborted signal THEN it stops with InterruptedError", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(retryWithBackoff(() => Promise.resolve(1), () => true, { deadlineMs: 1_000, signal: controller.signal })).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe("pollUntil", () => {
  it("GIVEN a condition that becomes true THEN its value is returned", async () => {
    let n = 0;
    expect(await pollUntil(async () => (++n >= 3 ? n : undefined), "x", { deadlineMs: 5_000, intervalMs: 1 })).toBe(3);
  });
});

describe("parseDuration", () => {
  it("GIVEN durations with units THEN milliseconds; malformed THEN undefined", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("10m")).toBe(600_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("10")).toBeUndefined();
    expect(parseDuration("5 minutes")).toBeUndefined();
  });
});
