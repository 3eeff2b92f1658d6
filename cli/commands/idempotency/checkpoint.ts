/**
 * --checkpoint FILE: the SCAN cursor of every node, the position in the document window and the
 * counters committed so far, written atomically (temp file + rename) so a crash never leaves half a
 * checkpoint. --resume FILE continues from it; the totals then equal those of one uninterrupted run.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { usageError } from "../../core/errors.js";
import type { WindowCursor } from "./firestore-lookup.js";
import type { Tally } from "./tally.js";

export interface Checkpoint {
  version: 1;
  /** what the run audits; a checkpoint of another run is refused */
  identity: string;
  startedAt: string;
  /** SCAN cursor per node id; "done" once the node was scanned to the end */
  cursors: Record<string, string>;
  /** run_id of each node when its scan started: a cursor is only valid on the same server process */
  runIds: Record<string, string>;
  window: { sinceMs: number; after?: WindowCursor; done: boolean };
  tally: Tally;
  /** time spent by earlier (interrupted) runs */
  elapsedMs: number;
  /** time spent in each phase so far (key scan, document-window scan) */
  phaseMs: { keys: number; documents: number };
}

export function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(checkpoint, null, 2)}\n`);
  renameSync(tmp, file);
}

export function readCheckpoint(file: string, identity: string): Checkpoint {
  let parsed: Checkpoint;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as Checkpoint;
  } catch (err) {
    throw usageError(`cannot read checkpoint ${file}: ${(err as Error).message}`, "pass the file written by --checkpoint, or start over without --resume");
  }
  if (parsed.version !== 1 || typeof parsed.cursors !== "object" || typeof parsed.runIds !== "object" || typeof parsed.phaseMs !== "object" || !parsed.tally) throw usageError(`${file} is not an opsctl idempotency checkpoint`);
  if (parsed.identity !== identity) {
    throw usageError(`checkpoint ${file} belongs to another run (${parsed.identity})`, `resume with the same prefix, collection, Redis and --shard as the interrupted run (${identity}), or start over without --resume`);
  }
  return parsed;
}
