/**
 * Firestore reads of the audit: which keys have a document (getAll by id, or `in` queries of up to
 * 30 values when the key is a field), and the documents created inside the dedupe window, page by
 * page in a stable order so the scan can checkpoint and resume. UNAVAILABLE, DEADLINE_EXCEEDED,
 * RESOURCE_EXHAUSTED and ABORTED are retried with jittered backoff.
 */
import type { DocumentSnapshot, Firestore, Query } from "@google-cloud/firestore";
import { errorMessage, errorStatus, OpsError } from "../../core/errors.js";
import { ExitCode } from "../../core/exit-codes.js";
import { RETRY_CODES } from "../../core/retry-policy.js";
import { documentIdFor, keyForDocumentId } from "./key-schema.js";
import type { CommandCounter } from "./redis-ops.js";
import type { DocumentMapping } from "./settings.js";
import { abortableSleep } from "./token-bucket.js";

/** getAll batch size: the emulator and production both peak around 300-500 refs per call. */
export const GET_ALL_BATCH = 300;
/** Firestore's limit for the values of an `in` filter. */
export const IN_QUERY_LIMIT = 30;
// Large pages: the emulator re-scans the collection for every query, and production streams the page anyway.
export const WINDOW_PAGE_SIZE = 5_000;

const RETRIED = new Set<number>([RETRY_CODES.UNAVAILABLE, RETRY_CODES.DEADLINE_EXCEEDED, RETRY_CODES.RESOURCE_EXHAUSTED, RETRY_CODES.ABORTED]);

export async function withFirestoreRetry<T>(what: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  let delay = 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const { code } = errorStatus(err);
      if (code === undefined || !RETRIED.has(code) || attempt >= 6 || signal.aborted) {
        throw new OpsError(`${what} failed: ${errorMessage(err)}`, {
          code: "firestore_failed",
          exitCode: ExitCode.remote,
          hint: "check Firestore availability and the service account's datastore.viewer role, then re-run with --resume CHECKPOINT",
          runbook: "idempotency-inconsistency",
          cause: err,
        });
      }
      await abortableSleep(delay * (0.5 + Math.random()), signal);
      delay = Math.min(delay * 2, 10_000);
    }
  }
}

/** Bounds how many Firestore calls are in flight across all batches. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await fn();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class DocumentLookup {
  constructor(
    private readonly db: Firestore,
    private readonly mapping: DocumentMapping,
    private readonly limiter: Semaphore,
    private readonly counter: CommandCounter,
    private readonly signal: AbortSignal,
  ) {}

  /** The subset of `keys` that have a document. */
  async existing(keys: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (keys.length === 0) return found;
    const { idTemplate, field, collection } = this.mapping;
    const col = this.db.collection(collection);
    if (idTemplate !== undefined) {
      const byId = new Map<string, string>();
      for (const key of keys) {
        const id = documentIdFor(idTemplate, key);
        if (id !== undefined) byId.set(id, key);
      }
      await Promise.all(
        chunks([...byId.keys()], GET_ALL_BATCH).map((ids) =>
          this.limiter.run(async () => {
            this.counter.firestore += ids.length;
            // An empty field mask returns only the document names: existence is all we need.
            const snaps = await withFirestoreRetry(`reading ${ids.length} documents of ${collection}`, this.signal, () => this.db.getAll(...ids.map((id) => col.doc(id)), { fieldMask: [] }));
            for (const snap of snaps) if (snap.exists) found.add(byId.get(snap.id) ?? snap.id);
          }),
        ),
      );
      return found;
    }
    const fieldPath = field ?? "";
    await Promise.all(
      chunks([...new Set(keys)], IN_QUERY_LIMIT).map((values) =>
        this.limiter.run(async () => {
          this.counter.firestore += values.length;
          const snap = await withFirestoreRetry(`querying ${collection} by ${fieldPath}`, this.signal, () => col.where(fieldPath, "in", values).select(fieldPath).get());
          for (const doc of snap.docs) {
            const v = doc.get(fieldPath);
            if (typeof v === "string") found.add(v);
          }
        }),
      ),
    );
    return found;
  }
}

/** Position in the window scan: after this document (creation time, then id). */
export interface WindowCursor {
  seconds: number;
  nanos: number;
  id: string;
}

export interface WindowDocument {
  key: string;
  createdAtMs: number;
}

/** Documents created at or after `sinceMs`, ordered by creation time then id, one page per call. */
export async function windowPage(db: Firestore, mapping: DocumentMapping, sinceMs: number, after: WindowCursor | undefined, signal: AbortSignal, counter: CommandCounter): Promise<{ docs: WindowDocument[]; next?: WindowCursor; read: number }> {
  const { Timestamp, FieldPath } = await import("@google-cloud/firestore");
  const col = db.collection(mapping.collection);
  const fields = mapping.field ? [mapping.timestampField, mapping.field] : [mapping.timestampField];
  let query: Query = col
    .where(mapping.timestampField, ">=", Timestamp.fromMillis(sinceMs))
    .orderBy(mapping.timestampField)
    .orderBy(FieldPath.documentId())
    .select(...fields)
    .limit(WINDOW_PAGE_SIZE);
  if (after) query = query.startAfter(new Timestamp(after.seconds, after.nanos), after.id);
  const snap = await withFirestoreRetry(`listing ${mapping.collection} documents of the dedupe window`, signal, () => query.get());
  counter.firestore += snap.size;
  const docs: WindowDocument[] = [];
  for (const doc of snap.docs) {
    const entry = toWindowDocument(doc, mapping);
    if (entry) docs.push(entry);
  }
  const last = snap.docs.at(-1);
  let next: WindowCursor | undefined;
  if (last && snap.size === WINDOW_PAGE_SIZE) {
    const ts = last.get(mapping.timestampField) as { seconds: number; nanoseconds: number };
    next = { seconds: ts.seconds, nanos: ts.nanoseconds, id: last.id };
  }
  return { docs, next, read: snap.size };
}

function toWindowDocument(doc: DocumentSnapshot, mapping: DocumentMapping): WindowDocument | undefined {
  const ts = doc.get(mapping.timestampField) as { toMillis?: () => number } | undefined;
  if (!ts || typeof ts.toMillis !== "function") return undefined;
  const key = mapping.idTemplate !== undefined ? keyForDocumentId(mapping.idTemplate, doc.id) : doc.get(mapping.field ?? "");
  if (typeof key !== "string" || key === "") return undefined;
  return { key, createdAtMs: ts.toMillis() };
}
