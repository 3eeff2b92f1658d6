/**
 * A fake Secret Manager (v1 REST shapes) for the official @google-cloud/secret-manager client's REST
 * fallback. Secrets carry labels, annotations, version aliases, an etag and version_destroy_ttl;
 * versions are ENABLED / DISABLED / DESTROYED. Like the real API:
 *   - `versions/latest` is the most recently created version whatever its state, so accessing it
 *     fails while that version is disabled (why opsctl copies a value forward on rollback);
 *   - an alias (`versions/current`) resolves through versionAliases;
 *   - destroy on a secret with version_destroy_ttl disables the version and schedules destruction;
 *     enabling or disabling it again cancels the schedule; past the schedule it is DESTROYED;
 *   - a non-empty etag that does not match fails with FAILED_PRECONDITION (400).
 * Faults (409/429/503) come from HttpFake.injectFault.
 */
import { createHash } from "node:crypto";
import { badRequest, conflict, GoogleHttpError, HttpFake, notFound, type FakeRequest, type FakeReply } from "../http-fake.js";

export type FakeVersionState = "ENABLED" | "DISABLED" | "DESTROYED";

export interface FakeVersion {
  number: number;
  value: string | undefined;
  state: FakeVersionState;
  createTime: Date;
  destroyTime?: Date;
  scheduledDestroyTime?: Date;
  etagSeq: number;
}

export interface FakeSecret {
  project: string;
  id: string;
  createTime: Date;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  versionAliases: Record<string, number>;
  versionDestroyTtlSeconds: number;
  etagSeq: number;
  versions: FakeVersion[];
}

export interface SeedVersion {
  value: string;
  state?: FakeVersionState;
  /** backdate a version so age-based logic (list, prune) can be tested without a clock */
  createTime?: Date;
  scheduledDestroyTime?: Date;
}

export interface SeedSecret {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  versionAliases?: Record<string, number>;
  versionDestroyTtlSeconds?: number;
  versions?: SeedVersion[];
}

const etagOf = (seed: string, seq: number) => `"${createHash("sha1").update(`${seed}#${seq}`).digest("hex").slice(0, 16)}"`;

export class SecretManagerFake extends HttpFake {
  private readonly secrets = new Map<string, FakeSecret>();
  /** the fake's clock; tests may move it to pass a scheduled destruction */
  now: () => Date = () => new Date();
  private readonly crashes: { method: string; remaining: number }[] = [];

  constructor() {
    super();
    this.route("GET", "/v1/:path*", (req) => this.get(req));
    this.route("POST", "/v1/:path*", (req) => this.post(req));
    this.route("PATCH", "/v1/:path*", (req) => this.patch(req));
    this.route("DELETE", "/v1/:path*", (req) => this.remove(req));
  }

  /**
   * The `nth` next request with this method (counting from now) fails with 500 INTERNAL, which the
   * client does not retry: how a test stops a rotation between two steps, as a crash would.
   */
  failNth(method: string, nth: number): void {
    this.crashes.push({ method: method.toUpperCase(), remaining: nth });
  }

  private maybeCrash(method: string): void {
    for (const c of this.crashes) {
      if (c.method !== method || c.remaining <= 0) continue;
      c.remaining -= 1;
      if (c.remaining === 0) throw new GoogleHttpError(500, "INTERNAL", "injected crash");
    }
  }

  seedSecret(project: string, id: string, seed: SeedSecret = {}): FakeSecret {
    const secret: FakeSecret = {
      project,
      id,
      createTime: seed.versions?.[0]?.createTime ?? this.now(),
      labels: { ...seed.labels },
      annotations: { ...seed.annotations },
      versionAliases: { ...seed.versionAliases },
      versionDestroyTtlSeconds: seed.versionDestroyTtlSeconds ?? 0,
      etagSeq: 1,
      versions: [],
    };
    for (const v of seed.versions ?? []) {
      secret.versions.push({ number: secret.versions.length + 1, value: v.value, state: v.state ?? "ENABLED", createTime: v.createTime ?? this.now(), scheduledDestroyTime: v.scheduledDestroyTime, etagSeq: 1 });
    }
    this.secrets.set(`${project}/${id}`, secret);
    return secret;
  }

  secret(project: string, id: string): FakeSecret | undefined {
    const s = this.secrets.get(`${project}/${id}`);
    if (s) for (const v of s.versions) this.settle(v);
    return s;
  }

  version(project: string, id: string, n: number): FakeVersion | undefined {
    return this.secret(project, id)?.versions.find((v) => v.number === n);
  }

  // ---- routing -------------------------------------------------------------------------------

  private parse(path: string): { project: string; secretId?: string; version?: string; verb?: string; collection?: "secrets" | "versions" } {
    const raw = path.replace(/^\/v1\//, "");
    const [resource, verb] = raw.split(":") as [string, string | undefined];
    const parts = resource.split("/");
    if (parts[0] !== "projects" || !parts[1]) throw notFound(`resource ${path}`);
    const out: ReturnType<SecretManagerFake["parse"]> = { project: parts[1], verb };
    if (parts[2] === "secrets") {
      if (!parts[3]) out.collection = "secrets";
      else out.secretId = parts[3];
    }
    if (parts[4] === "versions") {
      if (!parts[5]) out.collection = "versions";
      else out.version = parts[5];
    }
    return out;
  }

  private get(req: FakeRequest): FakeReply {
    this.maybeCrash("GET");
    const p = this.parse(req.path);
    if (p.collection === "secrets" && !p.secretId) {
      const list = [...this.secrets.values()].filter((s) => s.project === p.project).map((s) => this.secretJson(s));
      return { body: { secrets: list, totalSize: list.length } };
    }
    const secret = this.requireSecret(p.project, p.secretId);
    if (p.collection === "versions") {
      const filter = req.query.get("filter") ?? "";
      const stateFilter = /state:(\w+)/.exec(filter)?.[1];
      const versions = [...secret.versions]
        .reverse()
        .map((v) => this.settle(v))
        .filter((v) => !stateFilter || v.state === stateFilter)
        .map((v) => this.versionJson(secret, v));
      return { body: { versions, totalSize: versions.length } };
    }
    if (p.version) {
      const v = this.resolve(secret, p.version);
      if (p.verb === "access") {
        if (v.state !== "ENABLED") throw badRequest(`Secret Version [${this.versionName(secret, v)}] is in ${v.state} state.`, "failedPrecondition");
        return { body: { name: this.versionName(secret, v), payload: { data: Buffer.from(v.value ?? "").toString("base64") } } };
      }
      return { body: this.versionJson(secret, v) };
    }
    return { body: this.secretJson(secret) };
  }

  private post(req: FakeRequest): FakeReply {
    this.maybeCrash("POST");
    const p = this.parse(req.path);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (p.collection === "secrets" && !p.secretId) {
      const id = req.query.get("secretId");
      if (!id) throw badRequest("secretId is required");
      if (this.secrets.has(`${p.project}/${id}`)) throw conflict(`Secret [projects/${p.project}/secrets/${id}] already exists.`);
      const ttl = typeof body.versionDestroyTtl === "string" ? Number.parseInt(body.versionDestroyTtl, 10) : 0;
      const created = this.seedSecret(p.project, id, { labels: body.labels as Record<string, string>, annotations: body.annotations as Record<string, string>, versionDestroyTtlSeconds: ttl });
      return { body: this.secretJson(created) };
    }
    const secret = this.requireSecret(p.project, p.secretId);
    if (!p.version && p.verb === "addVersion") {
      const payload = body.payload as { data?: string } | undefined;
      if (!payload?.data) throw badRequest("payload.data is required");
      const v: FakeVersion = { number: (secret.versions.at(-1)?.number ?? 0) + 1, value: Buffer.from(payload.data, "base64").toString(), state: "ENABLED", createTime: this.now(), etagSeq: 1 };
      secret.versions.push(v);
      return { body: this.versionJson(secret, v) };
    }
    if (p.version) {
      const v = this.resolve(secret, p.version);
      this.checkEtag(typeof body.etag === "string" ? body.etag : "", this.versionEtag(secret, v));
      if (v.state === "DESTROYED") throw badRequest(`Secret Version [${this.versionName(secret, v)}] is in DESTROYED state.`, "failedPrecondition");
      if (p.verb === "enable" || p.verb === "disable") {
        v.state = p.verb === "enable" ? "ENABLED" : "DISABLED";
        v.scheduledDestroyTime = undefined; // enabling or disabling cancels a scheduled destruction
      } else if (p.verb === "destroy") {
        if (secret.versionDestroyTtlSeconds > 0) {
          v.state = "DISABLED";
          v.scheduledDestroyTime = new Date(this.now().getTime() + secret.versionDestroyTtlSeconds * 1000);
        } else {
          v.state = "DESTROYED";
          v.value = undefined;
          v.destroyTime = this.now();
        }
      } else throw notFound(`method ${p.verb}`);
      v.etagSeq += 1;
      return { body: this.versionJson(secret, v) };
    }
    throw notFound(`method ${req.path}`);
  }

  private patch(req: FakeRequest): FakeReply {
    this.maybeCrash("PATCH");
    const p = this.parse(req.path);
    const secret = this.requireSecret(p.project, p.secretId);
    const body = (req.body ?? {}) as Record<string, unknown>;
    this.checkEtag(typeof body.etag === "string" ? body.etag : "", etagOf(secret.id, secret.etagSeq));
    const mask = (req.query.get("updateMask") ?? "").split(",").filter(Boolean);
    if (mask.length === 0) throw badRequest("update_mask is required");
    for (const field of mask) {
      if (field === "labels") secret.labels = { ...(body.labels as Record<string, string>) };
      else if (field === "annotations") secret.annotations = { ...(body.annotations as Record<string, string>) };
      else if (field === "version_aliases" || field === "versionAliases") {
        const aliases: Record<string, number> = {};
        for (const [k, v] of Object.entries((body.versionAliases ?? {}) as Record<string, string | number>)) {
          const n = Number(v);
          if (!secret.versions.some((x) => x.number === n)) throw badRequest(`alias ${k} points at missing version ${n}`);
          aliases[k] = n;
        }
        secret.versionAliases = aliases;
      } else if (field === "version_destroy_ttl" || field === "versionDestroyTtl") {
        secret.versionDestroyTtlSeconds = typeof body.versionDestroyTtl === "string" ? Number.parseInt(body.versionDestroyTtl, 10) : 0;
      } else throw badRequest(`unsupported update_mask path ${field}`);
    }
    secret.etagSeq += 1;
    return { body: this.secretJson(secret) };
  }

  private remove(req: FakeRequest): FakeReply {
    const p = this.parse(req.path);
    this.requireSecret(p.project, p.secretId);
    this.secrets.delete(`${p.project}/${p.secretId}`);
    return { body: {} };
  }

  // ---- model ----------------------------------------------------------------------------------

  private requireSecret(project: string, id: string | undefined): FakeSecret {
    const secret = id ? this.secret(project, id) : undefined;
    if (!secret) throw notFound(`Secret [projects/${project}/secrets/${id ?? ""}]`);
    return secret;
  }

  private resolve(secret: FakeSecret, ref: string): FakeVersion {
    let n: number | undefined;
    if (ref === "latest") n = secret.versions.at(-1)?.number;
    else if (/^\d+$/.test(ref)) n = Number(ref);
    else n = secret.versionAliases[ref];
    const v = secret.versions.find((x) => x.number === n);
    if (!v) throw notFound(`Secret Version [projects/${secret.project}/secrets/${secret.id}/versions/${ref}]`);
    return this.settle(v);
  }

  /** a scheduled destruction whose time has passed happens now */
  private settle(v: FakeVersion): FakeVersion {
    if (v.scheduledDestroyTime && v.scheduledDestroyTime.getTime() <= this.now().getTime()) {
      v.state = "DESTROYED";
      v.value = undefined;
      v.destroyTime = v.scheduledDestroyTime;
      v.scheduledDestroyTime = undefined;
      v.etagSeq += 1;
    }
    return v;
  }

  private checkEtag(given: string, current: string): void {
    if (given && given !== current) throw new GoogleHttpError(400, "FAILED_PRECONDITION", `etag mismatch: given ${given}, current ${current}`, "failedPrecondition");
  }

  private versionName(secret: FakeSecret, v: FakeVersion): string {
    return `projects/${secret.project}/secrets/${secret.id}/versions/${v.number}`;
  }

  private versionEtag(secret: FakeSecret, v: FakeVersion): string {
    return etagOf(`${secret.id}/${v.number}`, v.etagSeq);
  }

  private versionJson(secret: FakeSecret, v: FakeVersion): Record<string, unknown> {
    return {
      name: this.versionName(secret, v),
      createTime: v.createTime.toISOString(),
      state: v.state,
      etag: this.versionEtag(secret, v),
      ...(v.destroyTime ? { destroyTime: v.destroyTime.toISOString() } : {}),
      ...(v.scheduledDestroyTime ? { scheduledDestroyTime: v.scheduledDestroyTime.toISOString() } : {}),
    };
  }

  private secretJson(secret: FakeSecret): Record<string, unknown> {
    return {
      name: `projects/${secret.project}/secrets/${secret.id}`,
      createTime: secret.createTime.toISOString(),
      labels: secret.labels,
      annotations: secret.annotations,
      versionAliases: Object.fromEntries(Object.entries(secret.versionAliases).map(([k, v]) => [k, String(v)])),
      etag: etagOf(secret.id, secret.etagSeq),
      replication: { automatic: {} },
      ...(secret.versionDestroyTtlSeconds > 0 ? { versionDestroyTtl: `${secret.versionDestroyTtlSeconds}s` } : {}),
    };
  }
}
