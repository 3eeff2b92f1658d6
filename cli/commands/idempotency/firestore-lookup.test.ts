import { describe, expect, it } from "vitest";
import { OpsError } from "../../core/errors.js";
import { Semaphore, withFirestoreRetry } from "./firestore-lookup.js";

describe("withFirestoreRetry", () => {
  it("retries UNAVAILABLE and DEADLINE_EXCEEDED, then returns the answer", async () => {
    const codes = [14, 4];
    let calls = 0;
    const value = await withFirestoreRetry("reading", new AbortController().signal, async () => {
      calls += 1;
      const code = codes.shift();
      if (code !== undefined) throw Object.assign(new Error("transient"), { code });
      return "ok";
    });
    expect(value).toBe("ok");
    expect(calls).toBe(3);
  });

  it("does not retry PERMISSION_DENIED and reports it as a remote failure (exit 3)", async () => {
    let calls = 0;
    const failing = withFirestoreRetry("reading messages", new AbortController().signal, async () => {
      calls += 1;
      throw Object.assign(new Error("denied"), { code: 7 });
    });
    await expect(failing).rejects.toSatisfy((e: unknown) => e instanceof OpsError && e.exitCode === 3 && /reading messages failed: denied/.test(e.message));
    expect(calls).toBe(1);
  });
});

describe("Semaphore", () => {
  it("never runs more than its limit at once", async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        sem.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((r) => setImmediate(r));
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});
