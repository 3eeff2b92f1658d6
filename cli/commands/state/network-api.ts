/**
 * The REST calls behind `state doctor` and `state cleanup`: list what surrounds a network, delete
 * one object and wait for its long-running operation. All through restClient (google-auth-library,
 * endpoint overridable per API). Transient 429/503 and "in use" answers go through the backoff loop
 * in cli/core/backoff.ts; nothing else here sleeps.
 */
import { type BackoffOptions, DeadlineExceeded, pollUntil, retryWithBackoff } from "../../core/backoff.js";
import { restClient } from "../../core/google-clients.js";
import { type CloudObject, type Inventory, PSA_PEERING, shortName } from "./network-inventory.js";

type Rest = Awaited<ReturnType<typeof restClient>>;

export interface NetworkApis {
  compute: Rest;
  vpcaccess: Rest;
  redis: Rest;
  servicenetworking: Rest;
  run: Rest;
}

export interface Timing {
  /** how long "resource in use" / "producer services still using" is retried */
  inUseDeadlineMs: number;
  /** how long to wait for aet-* rules to disappear before deleting them */
  aetTimeoutMs: number;
  /** interval between polls of an operation or of a disappearing object */
  pollIntervalMs: number;
  /** how long one long-running operation may take */
  operationDeadlineMs: number;
  signal?: AbortSignal;
}

export async function connectNetworkApis(env: NodeJS.ProcessEnv = process.env): Promise<NetworkApis> {
  const [compute, vpcaccess, redis, servicenetworking, run] = await Promise.all([
    restClient("compute", env),
    restClient("vpcaccess", env),
    restClient("redis", env),
    restClient("servicenetworking", env),
    restClient("run", env),
  ]);
  return { compute, vpcaccess, redis, servicenetworking, run };
}

function httpStatus(err: unknown): number | undefined {
  return err && typeof err === "object" && "status" in err && typeof (err as { status: unknown }).status === "number" ? (err as { status: number }).status : undefined;
}

export function isNotFound(err: unknown): boolean {
  return httpStatus(err) === 404;
}

export function isTransient(err: unknown): boolean {
  const s = httpStatus(err);
  return s === 429 || s === 500 || s === 502 || s === 503 || s === 504;
}

/** Compute's resourceInUseByAnotherResource, resourceNotReady, and the PSA producer refusal. */
export function isInUse(err: unknown): boolean {
  const s = httpStatus(err);
  if (s !== 400 && s !== 409 && s !== 412) return false;
  const text = `${(err as Error).message} ${JSON.stringify((err as { body?: unknown }).body ?? "")}`;
  return /resourceInUseByAnotherResource|already being used by|resourceNotReady|still using this connection/i.test(text);
}

/** A GET/list with transient errors retried (the REST path has no gax retry settings). */
async function read<T>(api: Rest, path: string, timing: Timing): Promise<T> {
  const options: BackoffOptions = { deadlineMs: Math.max(timing.inUseDeadlineMs, 10_000), initialDelayMs: Math.min(500, timing.pollIntervalMs), signal: timing.signal };
  return retryWithBackoff(() => api.request<T>(path), isTransient, options);
}

async function listAll<T>(api: Rest, path: string, field: string, timing: Timing): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await read<Record<string, unknown>>(api, token ? `${path}${sep}pageToken=${encodeURIComponent(token)}` : path, timing);
    out.push(...((page[field] as T[] | undefined) ?? []));
    token = typeof page.nextPageToken === "string" && page.nextPageToken ? page.nextPageToken : undefined;
  } while (token);
  return out;
}

/** Compute's aggregated lists: { items: { "regions/r": { <field>: [...] } } }, paged. */
async function listAggregated<T>(api: Rest, path: string, field: string, timing: Timing): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await read<{ items?: Record<string, Record<string, unknown>>; nextPageToken?: string }>(api, token ? `${path}?pageToken=${encodeURIComponent(token)}` : path, timing);
    for (const scoped of Object.values(page.items ?? {})) out.push(...((scoped[field] as T[] | undefined) ?? []));
    token = page.nextPageToken || undefined;
  } while (token);
  return out;
}

interface ComputeItem {
  name: string;
  selfLink?: string;
  network?: string;
  labels?: Record<string, string>;
  peerings?: { name: string; network?: string }[];
  nextHopGateway?: string;
}

interface RunService {
  name: string;
  labels?: Record<string, string>;
  template?: { vpcAccess?: { connector?: string; networkInterfaces?: { network?: string; subnetwork?: string }[] } };
}

/** Compute calls the project number the project's `id`; Service Networking wants the number. */
export async function projectNumber(apis: NetworkApis, project: string, timing: Timing): Promise<string> {
  const p = await read<{ id?: string; name?: string }>(apis.compute, `/compute/v1/projects/${project}`, timing);
  return p.id ?? project;
}

export async function readInventory(apis: NetworkApis, project: string, region: string, timing: Timing): Promise<Inventory> {
  const c = `/compute/v1/projects/${project}`;
  const loc = `projects/${project}/locations/${region}`;
  const [networks, subnetworks, firewalls, routes, addresses, connectors, instances, services] = await Promise.all([
    listAll<ComputeItem>(apis.compute, `${c}/global/networks`, "items", timing),
    listAggregated<ComputeItem & { region?: string }>(apis.compute, `${c}/aggregated/subnetworks`, "subnetworks", timing),
    listAll<ComputeItem>(apis.compute, `${c}/global/firewalls`, "items", timing),
    listAll<ComputeItem>(apis.compute, `${c}/global/routes`, "items", timing),
    listAll<ComputeItem>(apis.compute, `${c}/global/addresses`, "items", timing),
    listAll<{ name: string; network?: string }>(apis.vpcaccess, `/v1/${loc}/connectors`, "connectors", timing),
    listAll<{ name: string; authorizedNetwork?: string; labels?: Record<string, string> }>(apis.redis, `/v1/${loc}/instances`, "instances", timing),
    listAll<RunService>(apis.run, `/v2/${loc}/services`, "services", timing),
  ]);
  const objects: CloudObject[] = [];
  const number = networks.some((n) => n.peerings?.some((p) => p.name === PSA_PEERING)) ? await projectNumber(apis, project, timing) : project;
  for (const n of networks) {
    objects.push({ kind: "network", name: n.name, resource: `${c}/global/networks/${n.name}` });
    for (const p of n.peerings ?? []) objects.push({ kind: "peering", name: p.name, resource: `${c}/global/networks/${n.name} peering ${p.name}`, network: n.name });
    if (n.peerings?.some((p) => p.name === PSA_PEERING)) {
      const conns = await listAll<{ network?: string; service?: string }>(apis.servicenetworking, `/v1/services/servicenetworking.googleapis.com/connections?network=${encodeURIComponent(`projects/${number}/global/networks/${n.name}`)}`, "connections", timing);
      if (conns.length > 0) objects.push({ kind: "psaConnection", name: n.name, resource: `services/servicenetworking.googleapis.com/connections (network ${n.name})`, network: n.name });
    }
  }
  // Every region: a subnet anywhere holds the network.
  for (const s of subnetworks) objects.push({ kind: "subnetwork", name: s.name, resource: `${c}/regions/${shortName(s.region) ?? region}/subnetworks/${s.name}`, network: shortName(s.network) });
  for (const f of firewalls) objects.push({ kind: "firewall", name: f.name, resource: `${c}/global/firewalls/${f.name}`, network: shortName(f.network) });
  for (const r of routes) {
    // Google's own routes (the default internet route, subnet routes, peering routes) go with the network.
    const system = r.name.startsWith("default-route-") || r.name.startsWith("peering-route-");
    objects.push({ kind: "route", name: r.name, resource: `${c}/global/routes/${r.name}`, network: shortName(r.network), system });
  }
  for (const a of addresses) objects.push({ kind: "globalAddress", name: a.name, resource: `${c}/global/addresses/${a.name}`, network: shortName(a.network), labels: a.labels });
  for (const k of connectors) objects.push({ kind: "connector", name: shortName(k.name) ?? k.name, resource: k.name, network: shortName(k.network) });
  for (const i of instances) objects.push({ kind: "redisInstance", name: shortName(i.name) ?? i.name, resource: i.name, network: shortName(i.authorizedNetwork), labels: i.labels });
  for (const s of services) {
    const vpc = s.template?.vpcAccess;
    const nic = vpc?.networkInterfaces?.[0];
    const connector = shortName(vpc?.connector);
    const connectorNetwork = connector ? objects.find((o) => o.kind === "connector" && o.name === connector)?.network : undefined;
    objects.push({
      kind: "runService",
      name: shortName(s.name) ?? s.name,
      resource: s.name,
      network: shortName(nic?.network) ?? connectorNetwork,
      labels: s.labels,
      connectors: connector ? [connector] : [],
      directEgress: nic !== undefined,
    });
  }
  return { project, region, objects };
}

interface ComputeOperation {
  name: string;
  status?: string;
  selfLink?: string;
  error?: { errors?: { code?: string; message?: string }[] };
}

interface LongRunningOperation {
  name: string;
  done?: boolean;
  error?: { code?: number; message?: string };
}

class OperationFailed extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
  }
}

function pathOf(selfLink: string): string {
  return selfLink.includes("://") ? new URL(selfLink).pathname : selfLink;
}

async function waitCompute(api: Rest, op: ComputeOperation, project: string, timing: Timing): Promise<void> {
  const path = op.selfLink ? pathOf(op.selfLink) : `/compute/v1/projects/${project}/global/operations/${op.name}`;
  const final = op.status === "DONE" ? op : await pollUntil(async () => {
    const cur = await read<ComputeOperation>(api, path, timing);
    return cur.status === "DONE" ? cur : undefined;
  }, `operation ${op.name}`, { deadlineMs: timing.operationDeadlineMs, intervalMs: timing.pollIntervalMs, signal: timing.signal });
  const first = final.error?.errors?.[0];
  // A failed operation carries the same codes as a synchronous error (resourceInUseByAnotherResource, ...).
  if (first) throw new OperationFailed(`${first.code ?? "error"}: ${first.message ?? ""}`, 400, final.error);
}

async function waitLongRunning(api: Rest, version: string, op: LongRunningOperation, timing: Timing): Promise<void> {
  const final = op.done ? op : await pollUntil(async () => {
    const cur = await read<LongRunningOperation>(api, `/${version}/${op.name}`, timing);
    return cur.done ? cur : undefined;
  }, `operation ${op.name}`, { deadlineMs: timing.operationDeadlineMs, intervalMs: timing.pollIntervalMs, signal: timing.signal });
  if (final.error) throw new OperationFailed(final.error.message ?? "operation failed", final.error.code === 9 ? 400 : 500, final.error);
}

/** One delete request and its operation, for one object. 404 means it is already gone. */
async function deleteOnce(apis: NetworkApis, object: CloudObject, project: string, timing: Timing): Promise<void> {
  const c = `/compute/v1/projects/${project}`;
  switch (object.kind) {
    case "runService":
      return waitLongRunning(apis.run, "v2", await apis.run.request<LongRunningOperation>(`/v2/${object.resource}`, { method: "DELETE" }), timing);
    case "redisInstance":
      return waitLongRunning(apis.redis, "v1", await apis.redis.request<LongRunningOperation>(`/v1/${object.resource}`, { method: "DELETE" }), timing);
    case "connector":
      return waitLongRunning(apis.vpcaccess, "v1", await apis.vpcaccess.request<LongRunningOperation>(`/v1/${object.resource}`, { method: "DELETE" }), timing);
    case "psaConnection": {
      const number = await projectNumber(apis, project, timing);
      const op = await apis.servicenetworking.request<LongRunningOperation>(`/v1/services/servicenetworking.googleapis.com/connections/${PSA_PEERING}:deleteConnection`, {
        method: "POST",
        body: { consumerNetwork: `projects/${number}/global/networks/${object.network}` },
      });
      return waitLongRunning(apis.servicenetworking, "v1", op, timing);
    }
    case "peering":
      return waitCompute(apis.compute, await apis.compute.request<ComputeOperation>(`${c}/global/networks/${object.network}/removePeering`, { method: "POST", body: { name: object.name } }), project, timing);
    case "firewall":
    case "route":
    case "globalAddress":
    case "network": {
      const collection = { firewall: "firewalls", route: "routes", globalAddress: "addresses", network: "networks" }[object.kind];
      return waitCompute(apis.compute, await apis.compute.request<ComputeOperation>(`${c}/global/${collection}/${object.name}`, { method: "DELETE" }), project, timing);
    }
    case "subnetwork":
      return waitCompute(apis.compute, await apis.compute.request<ComputeOperation>(pathOf(object.resource), { method: "DELETE" }), project, timing);
  }
}

export type DeleteOutcome = "deleted" | "already-gone";

/**
 * Delete an object and wait for it: transient errors and "in use" are retried with jittered backoff
 * until timing.inUseDeadlineMs; then DeadlineExceeded carries the last "in use" error (which names
 * the blocker). Safe to repeat: an object that is gone counts as done.
 */
export async function deleteObject(apis: NetworkApis, object: CloudObject, project: string, timing: Timing, onRetry?: (err: unknown, waitMs: number) => void): Promise<DeleteOutcome> {
  try {
    await retryWithBackoff(
      () => deleteOnce(apis, object, project, timing),
      (err) => isInUse(err) || isTransient(err),
      { deadlineMs: timing.inUseDeadlineMs, initialDelayMs: Math.max(50, Math.min(2_000, timing.pollIntervalMs)), maxDelayMs: 30_000, signal: timing.signal },
      onRetry,
    );
    return "deleted";
  } catch (err) {
    if (isNotFound(err)) return "already-gone";
    if (err instanceof DeadlineExceeded && isNotFound(err.lastError)) return "already-gone";
    throw err;
  }
}

export { DeadlineExceeded };
