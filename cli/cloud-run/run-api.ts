/**
 * The Cloud Run Admin API v2 as opsctl uses it, through the official @google-cloud/run clients
 * (REST fallback when OPSCTL_RUN_ENDPOINT points at a plain-HTTP fake). Reads retry the transient
 * codes of the shared retry policy; the conditional update does not retry ABORTED: with an etag, a
 * 409 ABORTED means someone else changed the service, and retrying with the same etag cannot succeed.
 */
import type { protos } from "@google-cloud/run";
import type { CallOptions } from "google-gax";
import { runRevisionsClient, runServicesClient } from "../core/google-clients.js";
import { RETRY_CODES, retryCallOptions, retryTuningFromEnv } from "../core/retry-policy.js";
import { type ConditionView, type RevisionView, type ServiceView, shortId, type TrafficSpec, type TrafficStatusView } from "./model.js";

type IService = protos.google.cloud.run.v2.IService;
type IRevision = protos.google.cloud.run.v2.IRevision;
type ICondition = protos.google.cloud.run.v2.ICondition;

export interface RunApi {
  getService(name: string): Promise<{ view: ServiceView; raw: IService }>;
  /** PATCH the whole service with its etag; resolves once the API accepted it (the LRO started) */
  updateService(raw: IService): Promise<void>;
  getRevision(name: string): Promise<RevisionView>;
  listRevisions(service: string): Promise<RevisionView[]>;
  close(): Promise<void>;
}

export async function createRunApi(env: NodeJS.ProcessEnv = process.env): Promise<RunApi> {
  const [services, revisions] = await Promise.all([runServicesClient(env), runRevisionsClient(env)]);
  const read = await retryCallOptions("read");
  const write = await conditionalWriteOptions();
  return {
    async getService(name) {
      const [raw] = await services.getService({ name }, read);
      return { view: serviceView(raw), raw };
    },
    async updateService(raw) {
      await services.updateService({ service: raw }, write);
    },
    async getRevision(name) {
      const [raw] = await revisions.getRevision({ name }, read);
      return revisionView(raw);
    },
    async listRevisions(service) {
      const [list] = await revisions.listRevisions({ parent: service }, { ...read, autoPaginate: true });
      return list.map(revisionView);
    },
    async close() {
      await Promise.allSettled([services.close(), revisions.close()]);
    },
  };
}

async function conditionalWriteOptions(): Promise<CallOptions> {
  const { createRetryOptions, createBackoffSettings } = await import("google-gax");
  const t = retryTuningFromEnv();
  return {
    retry: createRetryOptions(
      [RETRY_CODES.UNAVAILABLE, RETRY_CODES.RESOURCE_EXHAUSTED],
      createBackoffSettings(t.initialDelayMs, t.multiplier, t.maxDelayMs, t.rpcTimeoutMs, 1, t.rpcTimeoutMs, t.totalTimeoutMs),
    ),
  };
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(String(v)));
const str = (v: unknown): string => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));

function conditionView(c: ICondition | null | undefined): ConditionView | undefined {
  if (!c) return undefined;
  return { type: str(c.type), state: str(c.state), message: str(c.message) };
}

function trafficType(v: unknown): "LATEST" | "REVISION" {
  return v === "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST" || v === 1 ? "LATEST" : "REVISION";
}

export function serviceView(raw: IService): ServiceView {
  const traffic: TrafficSpec[] = (raw.traffic ?? []).map((t) => ({
    type: trafficType(t.type),
    ...(t.revision ? { revision: t.revision } : {}),
    percent: num(t.percent),
    ...(t.tag ? { tag: t.tag } : {}),
  }));
  const trafficStatuses: TrafficStatusView[] = (raw.trafficStatuses ?? []).map((t) => ({
    type: trafficType(t.type),
    ...(t.revision ? { revision: t.revision } : {}),
    percent: num(t.percent),
    ...(t.tag ? { tag: t.tag } : {}),
    ...(t.uri ? { uri: t.uri } : {}),
  }));
  return {
    name: str(raw.name),
    generation: num(raw.generation),
    observedGeneration: num(raw.observedGeneration),
    reconciling: raw.reconciling === true,
    terminalCondition: conditionView(raw.terminalCondition),
    traffic,
    trafficStatuses,
    latestReadyRevision: shortId(str(raw.latestReadyRevision)),
    latestCreatedRevision: shortId(str(raw.latestCreatedRevision)),
    uri: str(raw.uri),
    etag: str(raw.etag),
    images: (raw.template?.containers ?? []).map((c) => str(c.image)),
  };
}

export function revisionView(raw: IRevision): RevisionView {
  const readyCond = (raw.conditions ?? []).find((c) => c.type === "Ready");
  const state = str(readyCond?.state);
  const container = raw.containers?.[0];
  return {
    name: str(raw.name),
    id: shortId(str(raw.name)),
    ready: state === "CONDITION_SUCCEEDED",
    reconciling: raw.reconciling === true,
    readyDetail: readyCond ? `${state.replace("CONDITION_", "")}${readyCond.message ? `: ${readyCond.message}` : ""}` : "no Ready condition",
    failed: state === "CONDITION_FAILED",
    images: (raw.containers ?? []).map((c) => str(c.image)),
    env: (container?.env ?? []).map((e) => ({
      name: str(e.name),
      ...(e.value ? { value: e.value } : {}),
      ...(e.valueSource?.secretKeyRef?.secret ? { secret: e.valueSource.secretKeyRef.secret, version: str(e.valueSource.secretKeyRef.version) || "latest" } : {}),
    })),
    createTime: raw.createTime?.seconds ? new Date(num(raw.createTime.seconds) * 1000).toISOString() : "",
  };
}
