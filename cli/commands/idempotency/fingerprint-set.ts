/**
 * SCAN may return a key twice (the table was resized mid-scan, or Redis restarted). Keys are
 * counted once by remembering a 52-bit fingerprint of each key in an open-addressing table of
 * doubles: 16 bytes per key at most, against ~100 for a Set<string>. The table stops growing at
 * `maxEntries`; past that the run warns and no longer deduplicates (shard the run instead), so
 * memory stays bounded whatever the keyspace size.
 */
import { createHash } from "node:crypto";

export class FingerprintSet {
  private table: Float64Array;
  private size = 0;
  private saturated = false;

  constructor(
    initialCapacity = 1 << 16,
    private readonly maxEntries = 4_000_000,
  ) {
    this.table = new Float64Array(initialCapacity);
  }

  get full(): boolean {
    return this.saturated;
  }

  get count(): number {
    return this.size;
  }

  /** true when the key was not seen before (and is now remembered). */
  add(key: string): boolean {
    const fp = fingerprint(key);
    if (this.findSlot(this.table, fp).found) return false;
    if (this.saturated) return true;
    if ((this.size + 1) * 2 > this.table.length) {
      if (this.size >= this.maxEntries) {
        this.saturated = true;
        return true;
      }
      this.grow();
    }
    const { slot } = this.findSlot(this.table, fp);
    this.table[slot] = fp;
    this.size += 1;
    return true;
  }

  private findSlot(table: Float64Array, fp: number): { slot: number; found: boolean } {
    const mask = table.length - 1;
    let slot = fp % table.length & mask;
    for (;;) {
      const v = table[slot] ?? 0;
      if (v === 0) return { slot, found: false };
      if (v === fp) return { slot, found: true };
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const next = new Float64Array(this.table.length * 2);
    for (const v of this.table) if (v !== 0) next[this.findSlot(next, v).slot] = v;
    this.table = next;
  }
}

/** 52 bits of SHA-1, never 0 (0 marks an empty slot). */
function fingerprint(key: string): number {
  const d = createHash("sha1").update(key).digest();
  const hi = d.readUInt32BE(0) & 0xfffff;
  const lo = d.readUInt32BE(4);
  return hi * 2 ** 32 + lo || 1;
}
