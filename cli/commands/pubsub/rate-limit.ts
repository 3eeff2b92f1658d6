/** `--rate 50/s`, `--rate 3000/m`, `--rate 50` → messages per second. */
import { usageError } from "../../core/errors.js";

export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute))?\s*$/.exec(text);
  const value = m ? Number(m[1]) : Number.NaN;
  if (!m || !(value > 0)) throw usageError(`--rate "${text}" is not a rate`, "use messages per second or minute, e.g. 50/s or 3000/m");
  return m[2]?.startsWith("m") ? value / 60 : value;
}

/**
 * Paces work to an average rate: each take(n) is scheduled n/rate seconds after the previous one,
 * shared by every loop in flight. No burst beyond one batch.
 */
export class Pacer {
  private next = 0;
  constructor(private readonly perSecond: number) {}

  /** Resolves when n more items may start; rejects when the signal aborts. */
  async take(n: number, signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const start = Math.max(now, this.next);
    this.next = start + (n / this.perSecond) * 1000;
    const wait = start - now;
    if (wait <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}
