/**
 * Changing a service safely: every update is a read-modify-write of the whole service carrying its
 * etag, after checking that nobody else changed it since our last change (generation), then waits
 * until the platform serves it. A concurrent change is reported, never overwritten.
 */
import type { protos } from "@google-cloud/run";
import { ExitCode } from "../core/exit-codes.js";
import { errorStatus, OpsError, remoteError } from "../core/errors.js";
import type { ServiceView, TrafficSpec } from "./model.js";
import { isSettled } from "./readiness.js";
import type { RunApi } from "./run-api.js";
import { pollUntil } from "./wait.js";

/** A service we are changing, and the generation our own last change produced. */
export interface ServiceHandle {
  api: RunApi;
  name: string;
  generation: number;
}

export const SETTLE_TIMEOUT_MS = 5 * 60_000;

export function concurrentChangeError(name: string, detail: string): OpsError {
  return new OpsError(`${name} was changed by someone else during this operation (${detail}); opsctl stopped without overwriting it`, {
    code: "concurrent_change",
    exitCode: ExitCode.refused,
    hint: "check who changed it (Cloud Run revisions / audit logs), run `opsctl health` to see the current split, then re-run",
    runbook: "deploy-failed",
  });
}

export function isAborted409(err: unknown): boolean {
  const s = errorStatus(err);
  return s.code === 10 || s.status === 409;
}

export function toRawTraffic(traffic: TrafficSpec[]): protos.google.cloud.run.v2.ITrafficTarget[] {
  return traffic.map((t) =>
    t.type === "LATEST"
      ? { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: t.percent, ...(t.tag ? { tag: t.tag } : {}) }
      : { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: t.revision ?? "", percent: t.percent, ...(t.tag ? { tag: t.tag } : {}) },
  );
}

/**
 * Read-modify-write of the service. `edit` changes the raw service (traffic, template). With
 * `expectGeneration`, a different current generation means a concurrent change. Returns the
 * generation the update creates.
 */
export async function updateServiceChecked(h: ServiceHandle, edit: (raw: protos.google.cloud.run.v2.IService, view: ServiceView) => void, opts: { expectGeneration?: number; what: string }): Promise<number> {
  let current: Awaited<ReturnType<RunApi["getService"]>>;
  try {
    current = await h.api.getService(h.name);
  } catch (err) {
    throw remoteError(`reading ${h.name}`, err, { runbook: "deploy-failed" });
  }
  if (opts.expectGeneration !== undefined && current.view.generation !== opts.expectGeneration) {
    throw concurrentChangeError(h.name, `generation ${opts.expectGeneration} → ${current.view.generation}`);
  }
  edit(current.raw, current.view);
  try {
    await h.api.updateService(current.raw);
  } catch (err) {
    if (isAborted409(err)) throw concurrentChangeError(h.name, `etag ${current.view.etag} no longer current while ${opts.what}`);
    throw remoteError(`${opts.what} on ${h.name}`, err, { runbook: "deploy-failed" });
  }
  h.generation = current.view.generation + 1;
  return h.generation;
}

/** Waits until the platform observed `generation`; undefined when the deadline passed. */
export async function waitSettled(h: ServiceHandle, generation: number, timeoutMs: number, signal?: AbortSignal): Promise<ServiceView | undefined> {
  return pollUntil(
    async () => {
      const { view } = await h.api.getService(h.name);
      return isSettled(view, generation) ? view : undefined;
    },
    { timeoutMs, signal },
  );
}

/**
 * Route exactly `traffic` (or what it computes from the fresh read), checked against our last
 * generation, and wait until it is served.
 */
export async function applyTraffic(h: ServiceHandle, traffic: TrafficSpec[] | ((current: ServiceView) => TrafficSpec[]), opts: { signal?: AbortSignal; timeoutMs?: number; what: string }): Promise<ServiceView> {
  const generation = await updateServiceChecked(
    h,
    (raw, view) => {
      raw.traffic = toRawTraffic(typeof traffic === "function" ? traffic(view) : traffic);
    },
    { expectGeneration: h.generation, what: opts.what },
  );
  const view = await waitSettled(h, generation, opts.timeoutMs ?? SETTLE_TIMEOUT_MS, opts.signal);
  if (!view) throw new OpsError(`${h.name} did not settle after ${opts.what}`, { code: "not_settled", exitCode: ExitCode.remote, hint: "run `opsctl health` to see what the service serves", runbook: "deploy-failed" });
  return view;
}

/**
 * Put `traffic` back no matter what happened in between (failed gate, Ctrl-C): a fresh read each
 * attempt, so an etag race with the platform itself does not leave the candidate serving. Never
 * takes the abort signal: it runs because of it.
 */
export async function restoreTraffic(h: ServiceHandle, traffic: TrafficSpec[], attempts = 3): Promise<ServiceView> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await applyTraffic(h, traffic, { what: "restoring the previous traffic split" });
    } catch (err) {
      last = err;
      if (!(err instanceof OpsError && err.code === "concurrent_change")) break;
      // Re-read and try again: restoring the known-good split wins over an in-flight change.
      const { view } = await h.api.getService(h.name);
      h.generation = view.generation;
    }
  }
  throw last instanceof OpsError ? last : remoteError(`restoring traffic of ${h.name}`, last, { runbook: "deploy-failed" });
}
