/**
 * The test step of a rotation: prove the new value works before consumers are pointed at it.
 *   http:URL  GET URL with `Authorization: Bearer <value>`; 2xx passes, 401/403 fail
 *   redis     AUTH with the value against the environment's Redis (PING must answer)
 *   cloudrun  a candidate revision of each consuming service, its secret env vars pinned to the new
 *             version number, must become Ready and pass the service's health probe (no traffic)
 * A verifier returns ok:false only when the value itself was refused. When the check could not run
 * (network, 5xx) it throws: the rotation stays pending and a re-run resumes at the test step.
 */
import { OpsError, remoteError, usageError } from "../core/errors.js";

export interface VerifyOutcome {
  ok: boolean;
  /** what was checked and what came back; never the value */
  detail: string;
}

export interface SecretVerifier {
  readonly label: string;
  verify(value: string, context: { secretId: string; version: number; signal: AbortSignal }): Promise<VerifyOutcome>;
}

/**
 * What `--verify cloudrun` needs from the Cloud Run deploy/health core: for one consuming service,
 * a no-traffic candidate with the secret pinned to `version`, Ready and healthy, released afterwards
 * whatever the outcome (cloud-run-consumers.ts). ok:false = the candidate failed a gate.
 */
export interface CandidateRevisionCheck {
  readonly services: string[];
  checkService(service: string, input: { secretId: string; version: number; signal: AbortSignal }): Promise<VerifyOutcome>;
}

export type VerifySpec = { kind: "http"; url: string } | { kind: "redis" } | { kind: "cloudrun" };

export function parseVerifySpec(text: string): VerifySpec {
  if (text === "redis") return { kind: "redis" };
  if (text === "cloudrun") return { kind: "cloudrun" };
  if (text.startsWith("http:")) {
    const url = text.slice("http:".length);
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http");
      if (parsed.username || parsed.password) throw usageError("--verify http: URL must not carry credentials");
    } catch (err) {
      if (err instanceof OpsError) throw err;
      throw usageError(`--verify ${JSON.stringify(text)}: ${JSON.stringify(url)} is not an http(s) URL`, "example: --verify http:https://graph.facebook.com/v24.0/me");
    }
    return { kind: "http", url };
  }
  throw usageError(`unknown verifier ${JSON.stringify(text)}`, "use --verify http:URL, --verify redis or --verify cloudrun");
}

export interface VerifierDeps {
  /** redis://host:port or rediss://host:port of the environment's Redis */
  redisUrl?: string;
  /** PEM of the server CA for rediss:// (Memorystore signs with its own CA) */
  redisCa?: string;
  /** candidate revisions of the consuming services, for --verify cloudrun */
  candidates?: CandidateRevisionCheck;
}

export function buildVerifier(spec: VerifySpec, deps: VerifierDeps): SecretVerifier {
  switch (spec.kind) {
    case "http":
      return httpVerifier(spec.url);
    case "redis":
      if (!deps.redisUrl) throw usageError("--verify redis needs the Redis address", "pass --redis-url redis://HOST:PORT (rediss:// for TLS), or set REDIS_HOST and REDIS_PORT as the Cloud Run job does");
      return redisVerifier(deps.redisUrl, deps.redisCa);
    case "cloudrun":
      if (!deps.candidates || deps.candidates.services.length === 0) {
        throw usageError("--verify cloudrun: no Cloud Run service of this environment reads the secret (services.<name>.env.<VAR>: { secret: ID })", "verify with --verify http:URL or --verify redis instead");
      }
      return cloudrunVerifier(deps.candidates);
  }
}

/** Every consuming service in turn; the first refused candidate fails the test (the rest are not tried). */
export function cloudrunVerifier(candidates: CandidateRevisionCheck): SecretVerifier {
  return {
    label: `cloudrun:${candidates.services.join(",")}`,
    async verify(_value, context) {
      const details: string[] = [];
      for (const service of candidates.services) {
        const outcome = await candidates.checkService(service, context);
        details.push(outcome.detail);
        if (!outcome.ok) return { ok: false, detail: details.join("; ") };
      }
      return { ok: true, detail: details.join("; ") };
    },
  };
}

export function httpVerifier(url: string): SecretVerifier {
  const shown = new URL(url);
  shown.search = "";
  return {
    label: `http:${shown.toString()}`,
    async verify(value, { signal }) {
      let res: Response;
      try {
        res = await fetch(url, { headers: { authorization: `Bearer ${value}` }, signal: AbortSignal.any([signal, AbortSignal.timeout(15_000)]) });
        await res.arrayBuffer();
      } catch (err) {
        const code = err instanceof Error && err.cause && typeof err.cause === "object" && "code" in err.cause ? ` (${String((err.cause as { code: unknown }).code)})` : "";
        throw remoteError(`verify against ${shown.toString()}`, err instanceof Error ? new Error(err.name === "TimeoutError" ? "timed out" : `${err.message}${code}`) : err, { runbook: "secret-rotation" });
      }
      if (res.status >= 200 && res.status < 300) return { ok: true, detail: `GET ${shown.toString()} with the new value → HTTP ${res.status}` };
      if (res.status >= 500 || res.status === 429) {
        throw remoteError(`verify against ${shown.toString()}`, new Error(`HTTP ${res.status} (the check could not run; the value was not judged)`), { runbook: "secret-rotation" });
      }
      return { ok: false, detail: `GET ${shown.toString()} with the new value → HTTP ${res.status}` };
    },
  };
}

/** Strip credentials from a Redis URL: the value under test is the password. */
export function redisAddress(url: string): { url: string; tls: boolean; shown: string } {
  const u = new URL(url);
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw usageError(`--redis-url ${JSON.stringify(u.protocol)} is not redis:// or rediss://`);
  u.username = "";
  u.password = "";
  const shown = `${u.protocol}//${u.host}`;
  return { url: shown, tls: u.protocol === "rediss:", shown };
}

export function redisVerifier(url: string, ca?: string): SecretVerifier {
  const address = { ...redisAddress(url), ca };
  return {
    label: `redis:${address.shown}`,
    async verify(value) {
      // A Redis without AUTH accepts any password (ioredis only warns): the check would prove nothing.
      let open: boolean;
      try {
        open = await redisPing(address, undefined);
      } catch (err) {
        throw remoteError(`connect to ${address.shown}`, err, { runbook: "secret-rotation", hint: "check the address, the network path (VPC) and, for rediss://, --redis-ca-file; the rotation stays pending and resumes on re-run" });
      }
      if (open) {
        return { ok: false, detail: `${address.shown} answers PING with no password, so AUTH is not enabled and the new value cannot be verified there` };
      }
      try {
        const pong = await redisPing(address, value);
        return pong ? { ok: true, detail: `AUTH + PING on ${address.shown} → PONG` } : { ok: false, detail: `AUTH on ${address.shown} succeeded but PING did not answer PONG` };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (/WRONGPASS|invalid password|NOAUTH|ERR AUTH/i.test(message)) return { ok: false, detail: `AUTH on ${address.shown} refused the new value (${/WRONGPASS|NOAUTH|invalid password|ERR AUTH/i.exec(message)?.[0] ?? "AUTH error"})` };
        throw remoteError(`verify AUTH against ${address.shown}`, err, { runbook: "secret-rotation" });
      }
    },
  };
}

/**
 * PING with an optional password. Resolves true on PONG, false when the server demands AUTH and
 * none was given (NOAUTH); rejects with the AUTH error or a connection error otherwise.
 */
async function redisPing(address: { url: string; tls: boolean; ca?: string }, password: string | undefined): Promise<boolean> {
  const { Redis } = await import("ioredis");
  const client = new Redis(address.url, {
    ...(password === undefined ? {} : { password }),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    retryStrategy: () => null,
    connectTimeout: 10_000,
    ...(address.tls ? { tls: address.ca ? { ca: address.ca } : {} } : {}),
  });
  // A refused AUTH arrives as an "error" event; connect() then only says "Connection is closed".
  let lastError: Error | undefined;
  client.on("error", (err: Error) => {
    lastError = err;
  });
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch (err) {
    const message = [lastError?.message, err instanceof Error ? err.message : String(err)].filter(Boolean).join("; ");
    if (password === undefined && /NOAUTH/i.test(message)) return false;
    throw new Error(message);
  } finally {
    client.disconnect();
  }
}
