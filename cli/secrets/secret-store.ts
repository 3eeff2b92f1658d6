/**
 * Secret Manager as opsctl needs it: secrets with their aliases and annotations, versions as plain
 * records, values as strings (registered for redaction the moment they are read or written).
 * Every call goes through the official client with the shared retry policy; metadata updates are
 * optimistic (etag) and re-read on a conflicting write.
 */
import { errorStatus, remoteError } from "../core/errors.js";
import { secretManagerClient } from "../core/google-clients.js";
import { registerSecret } from "../core/redact.js";
import { retryCallOptions } from "../core/retry-policy.js";

export type VersionState = "ENABLED" | "DISABLED" | "DESTROYED";

export interface VersionInfo {
  number: number;
  state: VersionState;
  createTime: Date | undefined;
  scheduledDestroyTime: Date | undefined;
  etag: string;
}

export interface SecretInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  aliases: Record<string, number>;
  etag: string;
  versionDestroyTtlSeconds: number;
}

export interface MetadataChange {
  annotations?: Record<string, string>;
  aliases?: Record<string, number>;
}

type Client = Awaited<ReturnType<typeof secretManagerClient>>;
type Timestamp = { seconds?: number | string | { toString(): string } | null; nanos?: number | null } | null | undefined;

const STATES: Record<string, VersionState> = { "1": "ENABLED", "2": "DISABLED", "3": "DESTROYED", ENABLED: "ENABLED", DISABLED: "DISABLED", DESTROYED: "DESTROYED" };

export function toDate(ts: Timestamp): Date | undefined {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return undefined;
  return new Date(Number(String(ts.seconds)) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6));
}

function durationSeconds(d: Timestamp): number {
  return d?.seconds === undefined || d.seconds === null ? 0 : Number(String(d.seconds));
}

export function isNotFound(err: unknown): boolean {
  const s = errorStatus(err);
  return s.code === 5 || s.status === 404;
}

function isFailedPrecondition(err: unknown): boolean {
  const s = errorStatus(err);
  return s.code === 9 || s.status === 400;
}

export class SecretStore {
  private constructor(
    private readonly client: Client,
    readonly projectId: string,
  ) {}

  static async open(projectId: string, env: NodeJS.ProcessEnv = process.env): Promise<SecretStore> {
    return new SecretStore(await secretManagerClient(env), projectId);
  }

  secretName(id: string): string {
    return `projects/${this.projectId}/secrets/${id}`;
  }

  versionName(id: string, version: number | string): string {
    return `${this.secretName(id)}/versions/${version}`;
  }

  /** the last state seen of each secret (etag included): metadata writes start from it */
  private readonly known = new Map<string, SecretInfo>();

  private toInfo(id: string, s: { name?: string | null; labels?: Record<string, string> | null; annotations?: Record<string, string> | null; versionAliases?: Record<string, unknown> | null; etag?: string | null; versionDestroyTtl?: unknown }): SecretInfo {
    const info: SecretInfo = {
      id,
      name: s.name ?? this.secretName(id),
      labels: { ...(s.labels ?? {}) },
      annotations: { ...(s.annotations ?? {}) },
      aliases: Object.fromEntries(Object.entries(s.versionAliases ?? {}).map(([k, v]) => [k, Number(String(v))])),
      etag: s.etag ?? "",
      versionDestroyTtlSeconds: durationSeconds(s.versionDestroyTtl as Timestamp),
    };
    this.known.set(id, info);
    return info;
  }

  async getSecret(id: string): Promise<SecretInfo | undefined> {
    try {
      const [s] = await this.client.getSecret({ name: this.secretName(id) }, await retryCallOptions("read"));
      return this.toInfo(id, s);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw remoteError(`read secret ${this.secretName(id)}`, err);
    }
  }

  async requireSecret(id: string): Promise<SecretInfo> {
    const s = await this.getSecret(id);
    if (!s) {
      const { OpsError } = await import("../core/errors.js");
      throw new OpsError(`secret ${this.secretName(id)} does not exist in Secret Manager`, {
        code: "secret_missing",
        exitCode: 2,
        hint: "create it with the infrastructure (opsctl synth / terraform apply) before rotating it",
        runbook: "secret-rotation",
      });
    }
    return s;
  }

  /** newest first */
  async listVersions(id: string): Promise<VersionInfo[]> {
    try {
      const [versions] = await this.client.listSecretVersions({ parent: this.secretName(id) }, await retryCallOptions("read"));
      return versions
        .map((v) => ({
          number: Number((v.name ?? "").split("/").at(-1)),
          state: STATES[String(v.state)] ?? "DISABLED",
          createTime: toDate(v.createTime as Timestamp),
          scheduledDestroyTime: toDate(v.scheduledDestroyTime as Timestamp),
          etag: v.etag ?? "",
        }))
        .sort((a, b) => b.number - a.number);
    } catch (err) {
      throw remoteError(`list versions of ${this.secretName(id)}`, err);
    }
  }

  async addVersion(id: string, value: string): Promise<VersionInfo> {
    registerSecret(value);
    try {
      const [v] = await this.client.addSecretVersion({ parent: this.secretName(id), payload: { data: Buffer.from(value, "utf8") } }, await retryCallOptions("write"));
      return { number: Number((v.name ?? "").split("/").at(-1)), state: "ENABLED", createTime: toDate(v.createTime as Timestamp), scheduledDestroyTime: undefined, etag: v.etag ?? "" };
    } catch (err) {
      throw remoteError(`add a version to ${this.secretName(id)}`, err);
    }
  }

  async access(id: string, version: number | string): Promise<string> {
    try {
      const [r] = await this.client.accessSecretVersion({ name: this.versionName(id, version) }, await retryCallOptions("read"));
      const data = r.payload?.data;
      const value = typeof data === "string" ? data : Buffer.from(data ?? new Uint8Array()).toString("utf8");
      registerSecret(value);
      return value;
    } catch (err) {
      throw remoteError(`read the value of ${this.versionName(id, version)}`, err);
    }
  }

  async setState(id: string, version: number, action: "enable" | "disable" | "destroy"): Promise<void> {
    const name = this.versionName(id, version);
    try {
      const opts = await retryCallOptions("write");
      if (action === "enable") await this.client.enableSecretVersion({ name }, opts);
      else if (action === "disable") await this.client.disableSecretVersion({ name }, opts);
      else await this.client.destroySecretVersion({ name }, opts);
    } catch (err) {
      throw remoteError(`${action} ${name}`, err);
    }
  }

  /**
   * Read-modify-write of annotations and aliases under the secret's etag. A concurrent writer makes
   * the etag stale (FAILED_PRECONDITION): re-read and re-apply, a few times.
   */
  async updateMetadata(id: string, change: (current: SecretInfo) => MetadataChange): Promise<SecretInfo> {
    for (let attempt = 1; ; attempt++) {
      // Start from the last state seen (its etag guards the write); re-read only after a conflict.
      const current = (attempt === 1 ? this.known.get(id) : undefined) ?? (await this.requireSecret(id));
      const next = change(current);
      const paths: string[] = [];
      const secret: Record<string, unknown> = { name: current.name, etag: current.etag };
      if (next.annotations) {
        paths.push("annotations");
        secret.annotations = next.annotations;
      }
      if (next.aliases) {
        paths.push("version_aliases");
        secret.versionAliases = next.aliases;
      }
      if (paths.length === 0) return current;
      try {
        const [updated] = await this.client.updateSecret({ secret, updateMask: { paths } }, await retryCallOptions("write"));
        return this.toInfo(id, updated);
      } catch (err) {
        if (attempt < 4 && isFailedPrecondition(err)) {
          this.known.delete(id);
          continue;
        }
        throw remoteError(`update annotations/aliases of ${current.name}`, err);
      }
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
