/**
 * A fake Cloud Run Admin API v2 (services, revisions, long-running operations) for integration
 * tests and benchmarks, reached by the official @google-cloud/run client through its REST fallback
 * (`OPSCTL_RUN_ENDPOINT=<fake.url>`).
 *
 * Usage (issue 4 deploy/health, issue 5 secret rotation --verify cloudrun, issue 7 env verify):
 *
 *   const fake = new CloudRunFake({ readyDelayMs: 50 });
 *   await fake.start();                                   // env: { OPSCTL_RUN_ENDPOINT: fake.url }
 *   await fake.seedService({ project: "p", location: "r", name: "app-webhook",
 *     revisions: [{ image: "img:healthy", env: { LOG_LEVEL: "info" } }] });   // 100% LATEST
 *   fake.service("projects/p/locations/r/services/app-webhook")  // the v2 Service JSON (a copy)
 *   fake.servedSplit(name)          // [{ revision, percent, tag? }] what the router serves
 *   fake.simulateConcurrentChange(name)  // the next PATCH meets a changed etag → 409 ABORTED
 *   fake.setRevisionReady(revisionName, false)  // a revision that is no longer Ready
 *   fake.failWhenSecretMounted("TOKEN", "2")    // revisions created with TOKEN pinned to version 2
 *                                                // answer like a `failing` image (a bad secret value)
 *   fake.revisionsOf(name) / fake.revision(name) / fake.backendRequests(revisionName)
 *   fake.http.injectFault(503, 2) / fake.http.setLatency(100) / fake.http.calls   // HttpFake
 *   await fake.stop();                                    // also stops every revision backend
 *
 * What it models (public v2 shapes, enums as strings; requests may send enums as ints):
 * - generation increments on every PATCH; observedGeneration catches up when the change settles
 *   (after `readyDelayMs`, and only once every revision the traffic references is Ready); until then
 *   `reconciling` is true and terminalCondition is CONDITION_RECONCILING;
 * - PATCH replaces the spec; a changed template (images, env) or a new `template.revision` name
 *   creates a revision `<service>-0000N-xyz`; the response is a google.longrunning.Operation whose
 *   GET reports done when the generation settled (never, for a never-ready revision);
 * - traffic (LATEST = latestReadyRevision, REVISION), percent sum 100, unique tags, revisions that
 *   exist; trafficStatuses with a `uri` per tag; `etag` checked when sent (409 ABORTED on mismatch);
 * - every revision is backed by a real HTTP server (revision-backend.ts) whose behaviour comes from
 *   its image; the service `uri` is a router that splits requests by the served traffic
 *   (deterministic weighted round-robin); a tag's uri is its revision's server.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { badRequest, type FakeRequest, GoogleHttpError, HttpFake, notFound, OperationStore } from "../http-fake.js";
import { behaviourFromImage, RevisionBackend } from "./revision-backend.js";

export type EnvVar = { name: string; value?: string; valueSource?: { secretKeyRef?: { secret: string; version?: string } } };

export interface TrafficTarget {
  type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST" | "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION";
  revision?: string;
  percent: number;
  tag?: string;
}

export interface TrafficStatus extends TrafficTarget {
  uri?: string;
}

export interface Condition {
  type: string;
  state: "CONDITION_PENDING" | "CONDITION_RECONCILING" | "CONDITION_FAILED" | "CONDITION_SUCCEEDED";
  message?: string;
  lastTransitionTime?: string;
}

export interface Container {
  image: string;
  env?: EnvVar[];
}

export interface ServiceJson {
  name: string;
  uid: string;
  generation: string;
  observedGeneration: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  createTime: string;
  updateTime: string;
  ingress: string;
  template: { revision?: string; containers: Container[]; labels?: Record<string, string> };
  traffic: TrafficTarget[];
  trafficStatuses: TrafficStatus[];
  terminalCondition: Condition;
  conditions: Condition[];
  latestReadyRevision: string;
  latestCreatedRevision: string;
  uri: string;
  urls: string[];
  reconciling: boolean;
  etag: string;
}

export interface RevisionJson {
  name: string;
  uid: string;
  generation: string;
  observedGeneration: string;
  service: string;
  createTime: string;
  containers: Container[];
  conditions: Condition[];
  reconciling: boolean;
  etag: string;
}

export interface SeedRevision {
  image: string;
  /** a string is a literal; `{ secret, version }` a Secret Manager reference (version default "latest") */
  env?: Record<string, string | { secret: string; version?: string }>;
}

export interface SeedService {
  project: string;
  location: string;
  /** service id, e.g. "app-webhook" */
  name: string;
  /** oldest first; the last one is the service template; each is created Ready */
  revisions: SeedRevision[];
  /** default: 100% LATEST. `revision` is an index into `revisions` or a revision id */
  traffic?: Array<{ latest?: true; revision?: number | string; percent: number; tag?: string }>;
}

export interface FakeOptions {
  /** how long a new revision takes to become Ready, and a PATCH to settle (ms) */
  readyDelayMs?: number;
}

interface Pending {
  generation: number;
  settleAt: number;
}

interface ServiceRecord {
  json: ServiceJson;
  pending: Pending | undefined;
  revisionSeq: number;
  etagSeq: number;
  concurrentChange: boolean;
  routerSeq: number;
}

interface RevisionRecord {
  json: RevisionJson;
  backend: RevisionBackend;
  readyAt: number;
}

const LATEST = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST";
const REVISION = "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION";
const clone = <T>(v: T): T => structuredClone(v);

export class CloudRunFake {
  readonly http = new HttpFake();
  private readonly ops = new OperationStore();
  private readonly services = new Map<string, ServiceRecord>();
  private readonly revisions = new Map<string, RevisionRecord>();
  private router: Server | undefined;
  private readonly readyDelayMs: number;

  constructor(options: FakeOptions = {}) {
    this.readyDelayMs = options.readyDelayMs ?? 50;
    const base = "/v2/projects/:project/locations/:location";
    this.http
      .route("GET", `${base}/services/:service`, (req) => ({ body: this.tickService(serviceName(req)).json }))
      .route("GET", `${base}/services`, (req) => ({
        body: { services: [...this.services.values()].filter((s) => s.json.name.startsWith(`projects/${req.params.project}/locations/${req.params.location}/`)).map((s) => this.tickService(s.json.name).json) },
      }))
      .route("PATCH", `${base}/services/:service`, (req) => this.updateService(req))
      .route("GET", `${base}/services/:service/revisions/:revision`, (req) => {
        const name = `${serviceName(req)}/revisions/${req.params.revision}`;
        this.tickService(serviceName(req));
        const rev = this.revisions.get(name);
        if (!rev) throw notFound(`revision ${name}`);
        return { body: rev.json };
      })
      .route("GET", `${base}/services/:service/revisions`, (req) => {
        const svc = this.tickService(serviceName(req));
        const revisions = [...this.revisions.values()].filter((r) => r.json.service === svc.json.name).map((r) => r.json);
        return { body: { revisions: revisions.reverse() } };
      })
      .route("GET", `${base}/operations/:op`, (req) => {
        for (const name of this.services.keys()) this.tickService(name);
        return { body: this.operation(`projects/${req.params.project}/locations/${req.params.location}/operations/${req.params.op}`) };
      });
  }

  get url(): string {
    return this.http.url;
  }

  async start(): Promise<string> {
    this.router = createServer((req, res) => {
      req.resume();
      void this.route(req.url ?? "/").then(
        (r) => {
          res.writeHead(r.status, { "content-type": "application/json" });
          res.end(r.body);
        },
        (err: unknown) => {
          res.writeHead(502, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: String(err) }));
        },
      );
    });
    await new Promise<void>((resolve) => this.router?.listen(0, "127.0.0.1", resolve));
    return this.http.start();
  }

  async stop(): Promise<void> {
    await this.http.stop();
    const router = this.router;
    if (router) {
      router.closeAllConnections();
      await new Promise<void>((resolve) => router.close(() => resolve()));
      this.router = undefined;
    }
    await Promise.all([...this.revisions.values()].map((r) => r.backend.stop()));
  }

  /** Create a settled, Ready service with its revisions and traffic. Returns its full name. */
  async seedService(seed: SeedService): Promise<string> {
    const name = `projects/${seed.project}/locations/${seed.location}/services/${seed.name}`;
    const now = new Date().toISOString();
    const record: ServiceRecord = {
      json: {
        name,
        uid: `uid-${seed.name}`,
        generation: "1",
        observedGeneration: "1",
        labels: {},
        annotations: {},
        createTime: now,
        updateTime: now,
        ingress: "INGRESS_TRAFFIC_ALL",
        template: { containers: [] },
        traffic: [],
        trafficStatuses: [],
        terminalCondition: ready("Ready"),
        conditions: [ready("RoutesReady"), ready("ConfigurationsReady")],
        latestReadyRevision: "",
        latestCreatedRevision: "",
        uri: `${this.routerUrl}/s/${seed.name}`,
        urls: [`${this.routerUrl}/s/${seed.name}`],
        reconciling: false,
        etag: "",
      },
      pending: undefined,
      revisionSeq: 0,
      etagSeq: 0,
      concurrentChange: false,
      routerSeq: 0,
    };
    this.services.set(name, record);
    const ids: string[] = [];
    for (const r of seed.revisions) {
      const containers = [{ image: r.image, env: Object.entries(r.env ?? {}).map(([k, v]): EnvVar => (typeof v === "string" ? { name: k, value: v } : { name: k, valueSource: { secretKeyRef: { secret: v.secret, version: v.version ?? "latest" } } })) }];
      record.json.template = { containers };
      ids.push(await this.createRevision(record, containers, undefined, Date.now()));
    }
    const last = ids.at(-1) ?? "";
    record.json.latestCreatedRevision = `${name}/revisions/${last}`;
    record.json.latestReadyRevision = `${name}/revisions/${last}`;
    record.json.traffic = (seed.traffic ?? [{ latest: true, percent: 100 }]).map((t) => {
      if (t.latest) return { type: LATEST, percent: t.percent, ...(t.tag ? { tag: t.tag } : {}) };
      const id = typeof t.revision === "number" ? ids[t.revision] : t.revision;
      if (!id) throw new Error(`seed traffic names an unknown revision ${String(t.revision)}`);
      return { type: REVISION, revision: id, percent: t.percent, ...(t.tag ? { tag: t.tag } : {}) };
    });
    record.json.etag = this.nextEtag(record);
    this.settle(record);
    return name;
  }

  /** The service as the API returns it now (a copy). */
  service(name: string): ServiceJson {
    return clone(this.tickService(name).json);
  }

  revision(name: string): RevisionJson {
    const rev = this.revisions.get(name);
    if (!rev) throw new Error(`no revision ${name}`);
    return clone(rev.json);
  }

  /** Every revision of a service, oldest first. */
  revisionsOf(service: string): RevisionJson[] {
    return [...this.revisions.values()].filter((r) => r.json.service === service).map((r) => clone(r.json));
  }

  /** Requests the revision's backend has served (probes, routed traffic). */
  backendRequests(revisionName: string): number {
    return this.revisions.get(revisionName)?.backend.requests ?? 0;
  }

  /** What the router serves: LATEST resolved, zero-percent entries dropped, tags kept. */
  servedSplit(name: string): Array<{ revision: string; percent: number; tag?: string }> {
    const svc = this.tickService(name).json;
    return svc.trafficStatuses
      .map((t) => ({ revision: t.type === LATEST ? shortId(svc.latestReadyRevision) : (t.revision ?? ""), percent: t.percent, ...(t.tag ? { tag: t.tag } : {}) }))
      .sort((a, b) => a.revision.localeCompare(b.revision) || (a.tag ?? "").localeCompare(b.tag ?? ""));
  }

  /** Flip a revision's Ready condition (a revision that later fails, or recovers). */
  setRevisionReady(name: string, isReady: boolean, message = "Container failed to start"): void {
    const rev = this.revisions.get(name);
    if (!rev) throw new Error(`no revision ${name}`);
    rev.json.reconciling = false;
    rev.readyAt = isReady ? Date.now() : Number.POSITIVE_INFINITY;
    rev.json.conditions = isReady ? [ready("Ready")] : [{ type: "Ready", state: "CONDITION_FAILED", message, lastTransitionTime: new Date().toISOString() }];
  }

  /**
   * Revisions created from now on whose env pins `secret` (id or full name) to `version` fail their
   * health like a `failing` image: the application cannot use that secret value.
   */
  failWhenSecretMounted(secret: string, version: string): void {
    this.failingSecrets.push({ secret, version });
  }

  private readonly failingSecrets: Array<{ secret: string; version: string }> = [];

  private mountsFailingSecret(containers: Container[]): boolean {
    return containers.some((c) =>
      (c.env ?? []).some((e) => {
        const ref = e.valueSource?.secretKeyRef;
        if (!ref) return false;
        const id = ref.secret.slice(ref.secret.lastIndexOf("/") + 1);
        return this.failingSecrets.some((f) => f.secret === id && f.version === (ref.version ?? "latest"));
      }),
    );
  }

  /** Someone else updates the service right before the next PATCH reaches it (etag changes). */
  simulateConcurrentChange(name: string): void {
    this.record(name).concurrentChange = true;
  }

  private get routerUrl(): string {
    const address = this.router?.address() as AddressInfo | null;
    if (!address) throw new Error("CloudRunFake not started");
    return `http://127.0.0.1:${address.port}`;
  }

  private record(name: string): ServiceRecord {
    const rec = this.services.get(name);
    if (!rec) throw notFound(`service ${name}`);
    return rec;
  }

  private nextEtag(rec: ServiceRecord): string {
    rec.etagSeq += 1;
    return `"e${rec.etagSeq}-${rec.json.generation}"`;
  }

  private async createRevision(rec: ServiceRecord, containers: Container[], requestedId: string | undefined, readyAt: number): Promise<string> {
    rec.revisionSeq += 1;
    const short = rec.json.name.slice(rec.json.name.lastIndexOf("/") + 1);
    const id = requestedId || `${short}-${String(rec.revisionSeq).padStart(5, "0")}-${suffix(rec.revisionSeq)}`;
    const name = `${rec.json.name}/revisions/${id}`;
    const image = containers[0]?.image ?? "";
    const behaviour = this.mountsFailingSecret(containers) ? ({ kind: "failing" } as const) : behaviourFromImage(image);
    const backend = new RevisionBackend(id, behaviour);
    await backend.start();
    this.revisions.set(name, {
      backend,
      readyAt: behaviour.kind === "never-ready" ? Number.POSITIVE_INFINITY : readyAt,
      json: {
        name,
        uid: `uid-${id}`,
        generation: "1",
        observedGeneration: "1",
        service: rec.json.name,
        createTime: new Date().toISOString(),
        containers: clone(containers),
        conditions: [{ type: "Ready", state: "CONDITION_RECONCILING", message: "Deploying revision" }],
        reconciling: true,
        etag: `"r-${id}"`,
      },
    });
    rec.json.latestCreatedRevision = name;
    this.tickRevision(name);
    return id;
  }

  private tickRevision(name: string): void {
    const rev = this.revisions.get(name);
    if (!rev?.json.reconciling || Date.now() < rev.readyAt) return;
    rev.json.reconciling = false;
    rev.json.conditions = [ready("Ready"), ready("ContainerHealthy"), ready("ResourcesAvailable")];
  }

  private isReady(name: string): boolean {
    this.tickRevision(name);
    return this.revisions.get(name)?.json.conditions.some((c) => c.type === "Ready" && c.state === "CONDITION_SUCCEEDED") === true;
  }

  private tickService(name: string): ServiceRecord {
    const rec = this.record(name);
    // latestReadyRevision follows the newest Ready revision, like the platform.
    const own = [...this.revisions.values()].filter((r) => r.json.service === name);
    for (const r of own) this.tickRevision(r.json.name);
    const newestReady = own.filter((r) => this.isReady(r.json.name)).at(-1);
    if (newestReady) rec.json.latestReadyRevision = newestReady.json.name;
    const p = rec.pending;
    if (p && Date.now() >= p.settleAt && this.referencedRevisionsReady(rec)) this.settle(rec);
    return rec;
  }

  private referencedRevisionsReady(rec: ServiceRecord): boolean {
    return rec.json.traffic.every((t) => (t.type === LATEST ? rec.json.latestReadyRevision !== "" : this.isReady(`${rec.json.name}/revisions/${t.revision}`)));
  }

  private settle(rec: ServiceRecord): void {
    const svc = rec.json;
    rec.pending = undefined;
    svc.observedGeneration = svc.generation;
    svc.reconciling = false;
    svc.terminalCondition = ready("Ready");
    svc.conditions = [ready("RoutesReady"), ready("ConfigurationsReady")];
    svc.trafficStatuses = svc.traffic.map((t) => {
      const revName = t.type === LATEST ? svc.latestReadyRevision : `${svc.name}/revisions/${t.revision}`;
      const uri = t.tag ? this.revisions.get(revName)?.backend.url : undefined;
      return { ...clone(t), ...(uri ? { uri } : {}) };
    });
  }

  private async updateService(req: FakeRequest) {
    const name = serviceName(req);
    const rec = this.tickService(name);
    if (rec.concurrentChange) {
      // Another actor's update lands first: the caller's etag is now stale.
      rec.concurrentChange = false;
      rec.json.labels = { ...rec.json.labels, "changed-by": "someone-else" };
      rec.json.generation = String(Number(rec.json.generation) + 1);
      rec.json.etag = this.nextEtag(rec);
      this.settle(rec);
    }
    const body = asObject(req.body);
    const etag = typeof body.etag === "string" ? body.etag : "";
    if (etag !== "" && etag !== rec.json.etag) {
      throw new GoogleHttpError(409, "ABORTED", `etag mismatch for ${name}: the service was changed by another request (sent ${etag}, current ${rec.json.etag})`, "aborted");
    }
    const template = asObject(body.template);
    const containers = parseContainers(template.containers);
    if (containers.length === 0) throw badRequest("service.template.containers: at least one container is required", "invalidArgument");
    const requestedId = typeof template.revision === "string" ? template.revision : "";
    const existingIds = new Set([...this.revisions.values()].filter((r) => r.json.service === name).map((r) => shortId(r.json.name)));
    const templateChanged = canonical(containers) !== canonical(rec.json.template.containers) || (requestedId !== "" && !existingIds.has(requestedId));
    const short = name.slice(name.lastIndexOf("/") + 1);
    const newId = templateChanged ? requestedId || `${short}-${String(rec.revisionSeq + 1).padStart(5, "0")}-${suffix(rec.revisionSeq + 1)}` : undefined;
    const traffic = parseTraffic(body.traffic);
    validateTraffic(traffic, new Set([...existingIds, ...(newId ? [newId] : [])]), rec.json.latestReadyRevision !== "" || newId !== undefined);
    if (requestedId !== "" && templateChanged && existingIds.has(requestedId)) throw badRequest(`revision ${requestedId} already exists`, "alreadyExists");

    // Accept the new spec.
    const now = Date.now();
    rec.json.generation = String(Number(rec.json.generation) + 1);
    rec.json.updateTime = new Date(now).toISOString();
    rec.json.labels = asStringMap(body.labels);
    rec.json.annotations = asStringMap(body.annotations);
    rec.json.template = { ...(requestedId ? { revision: requestedId } : {}), containers };
    rec.json.traffic = traffic;
    rec.json.reconciling = true;
    rec.json.terminalCondition = { type: "Ready", state: "CONDITION_RECONCILING", message: "Deploying" };
    rec.json.etag = this.nextEtag(rec);
    if (newId) await this.createRevision(rec, containers, newId, now + this.readyDelayMs);
    rec.pending = { generation: Number(rec.json.generation), settleAt: now + this.readyDelayMs };
    const generation = rec.pending.generation;
    const opName = this.ops.create(`projects/${req.params.project}/locations/${req.params.location}`, Number.POSITIVE_INFINITY);
    // The operation is done once this generation settled; computed when it is read.
    this.opWatch.set(opName, { service: name, generation });
    return { body: { name: opName, done: false, metadata: { "@type": "type.googleapis.com/google.cloud.run.v2.Service", name } } };
  }

  private readonly opWatch = new Map<string, { service: string; generation: number }>();

  private operation(name: string) {
    const watch = this.opWatch.get(name);
    if (!watch) return this.ops.get(name);
    const rec = this.tickService(watch.service);
    const done = Number(rec.json.observedGeneration) >= watch.generation;
    return done
      ? { name, done: true, response: { "@type": "type.googleapis.com/google.cloud.run.v2.Service", ...rec.json } }
      : { name, done: false, metadata: { "@type": "type.googleapis.com/google.cloud.run.v2.Service", name: watch.service } };
  }

  /** The service URL: split requests by the served traffic. */
  private async route(url: string): Promise<{ status: number; body: string }> {
    const m = /^\/s\/([^/]+)(\/.*)?$/.exec(url.split("?")[0] ?? "");
    if (!m?.[1]) return { status: 404, body: JSON.stringify({ error: "no such service" }) };
    const entry = [...this.services.values()].find((s) => s.json.name.endsWith(`/services/${m[1]}`));
    if (!entry) return { status: 404, body: JSON.stringify({ error: "no such service" }) };
    this.tickService(entry.json.name);
    const split = this.servedSplit(entry.json.name).filter((t) => t.percent > 0);
    // Deterministic weighted round-robin: slot walks 0..99 in a scrambled order (37 is coprime to 100).
    const slot = (entry.routerSeq++ * 37) % 100;
    let acc = 0;
    const target = split.find((t) => {
      acc += t.percent;
      return slot < acc;
    });
    const backend = target ? this.revisions.get(`${entry.json.name}/revisions/${target.revision}`)?.backend : undefined;
    if (!backend) return { status: 503, body: JSON.stringify({ error: "no revision serves traffic" }) };
    const res = await fetch(`${backend.url}${m[2] ?? "/"}`);
    return { status: res.status, body: await res.text() };
  }
}

function ready(type: string): Condition {
  return { type, state: "CONDITION_SUCCEEDED", lastTransitionTime: new Date().toISOString() };
}

function serviceName(req: FakeRequest): string {
  return `projects/${req.params.project}/locations/${req.params.location}/services/${req.params.service}`;
}

function shortId(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

function suffix(n: number): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return [n * 7, n * 13, n * 17].map((x) => letters[x % 26]).join("");
}

function asObject(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function asStringMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asObject(v)).filter((e): e is [string, string] => typeof e[1] === "string"));
}

function parseContainers(v: unknown): Container[] {
  if (!Array.isArray(v)) return [];
  return v.map((c) => {
    const o = asObject(c);
    const env = Array.isArray(o.env)
      ? o.env.map((e): EnvVar => {
          const x = asObject(e);
          const ref = asObject(asObject(x.valueSource).secretKeyRef);
          return {
            name: String(x.name ?? ""),
            ...(typeof x.value === "string" && x.value !== "" ? { value: x.value } : {}),
            ...(typeof ref.secret === "string" ? { valueSource: { secretKeyRef: { secret: ref.secret, version: typeof ref.version === "string" ? ref.version : "latest" } } } : {}),
          };
        })
      : [];
    return { image: String(o.image ?? ""), env };
  });
}

function canonical(containers: Container[]): string {
  return JSON.stringify(containers.map((c) => ({ image: c.image, env: [...(c.env ?? [])].sort((a, b) => a.name.localeCompare(b.name)) })));
}

/** Requests may encode enums as ints (`$alt=json;enum-encoding=int`) and omit zero percents. */
function parseTraffic(v: unknown): TrafficTarget[] {
  if (!Array.isArray(v)) return [];
  return v.map((t) => {
    const o = asObject(t);
    const type = o.type === 1 || o.type === LATEST ? LATEST : REVISION;
    const tag = typeof o.tag === "string" && o.tag !== "" ? o.tag : undefined;
    const revision = typeof o.revision === "string" && o.revision !== "" ? o.revision : undefined;
    return { type, ...(type === REVISION && revision ? { revision } : {}), percent: typeof o.percent === "number" ? o.percent : 0, ...(tag ? { tag } : {}) };
  });
}

function validateTraffic(traffic: TrafficTarget[], known: Set<string>, hasLatest: boolean): void {
  if (traffic.length === 0) throw badRequest("service.traffic: at least one traffic target is required", "invalidArgument");
  const sum = traffic.reduce((a, t) => a + t.percent, 0);
  if (sum !== 100) throw badRequest(`service.traffic: percents must sum to 100, got ${sum}`, "invalidArgument");
  const tags = new Set<string>();
  for (const t of traffic) {
    if (t.percent < 0 || t.percent > 100) throw badRequest(`service.traffic: percent ${t.percent} out of range`, "invalidArgument");
    if (t.type === REVISION && (!t.revision || !known.has(t.revision))) throw badRequest(`service.traffic: revision ${t.revision ?? "(none)"} does not exist`, "invalidArgument");
    if (t.type === LATEST && !hasLatest) throw badRequest("service.traffic: LATEST has no ready revision", "invalidArgument");
    if (t.tag) {
      if (tags.has(t.tag)) throw badRequest(`service.traffic: tag ${t.tag} is used twice`, "invalidArgument");
      tags.add(t.tag);
    }
  }
}
