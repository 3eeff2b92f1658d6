/**
 * HTTP probes of a service or tagged revision URL: expected status, an optional `field=value` check
 * on the JSON body, retry attempts, per-request timeout, latency percentiles. Private services get a
 * Google-signed ID token whose audience is the URL (what Cloud Run's IAM check expects).
 */
import { endpointFor } from "../core/google-clients.js";

export interface ProbeCheck {
  path: string;
  expectStatus: number;
  /** `status=ok` or a dotted path `checks.redis=up` */
  jsonField?: string;
  attempts: number;
  timeoutMs: number;
}

export interface ProbeResult {
  ok: boolean;
  status: number;
  latencyMs: number;
  error?: string;
}

export interface ProbeSummary {
  url: string;
  ok: boolean;
  count: number;
  failures: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  lastError?: string;
}

export type AuthHeaders = (url: string) => Promise<Record<string, string>>;

export const noAuth: AuthHeaders = async () => ({});

/**
 * ID-token headers for a private service. A plain-HTTP Cloud Run endpoint (the test fake) needs no
 * credentials, the same rule the API clients follow in google-clients.ts.
 */
export function idTokenAuth(isPublic: boolean, env: NodeJS.ProcessEnv = process.env): AuthHeaders {
  if (isPublic || endpointFor("run", env).plainHttp) return noAuth;
  const clients = new Map<string, Promise<{ getRequestHeaders(url?: string): Promise<unknown> }>>();
  return async (url) => {
    const audience = new URL(url).origin;
    let client = clients.get(audience);
    if (!client) {
      client = import("google-auth-library").then(({ GoogleAuth }) => new GoogleAuth().getIdTokenClient(audience));
      clients.set(audience, client);
    }
    const headers = await (await client).getRequestHeaders(url);
    if (headers instanceof Headers) return Object.fromEntries(headers.entries());
    return Object.fromEntries(Object.entries(headers as Record<string, string>));
  };
}

export function probeUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

export async function probeOnce(url: string, check: ProbeCheck, auth: AuthHeaders = noAuth, signal?: AbortSignal): Promise<ProbeResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(check.timeoutMs);
  try {
    const res = await fetch(url, { headers: await auth(url), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    const text = await res.text();
    const latencyMs = performance.now() - started;
    if (res.status !== check.expectStatus) return { ok: false, status: res.status, latencyMs, error: `HTTP ${res.status}, expected ${check.expectStatus}` };
    const fieldProblem = check.jsonField ? jsonFieldProblem(text, check.jsonField) : undefined;
    return fieldProblem ? { ok: false, status: res.status, latencyMs, error: fieldProblem } : { ok: true, status: res.status, latencyMs };
  } catch (err) {
    if (signal?.aborted) throw err;
    const latencyMs = performance.now() - started;
    const reason = timeout.aborted ? `no answer within ${check.timeoutMs} ms` : err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    return { ok: false, status: 0, latencyMs, error: reason };
  }
}

/** Up to `attempts` probes; passes on the first success (a cold start may fail the first one). */
export async function probeWithAttempts(url: string, check: ProbeCheck, auth: AuthHeaders = noAuth, signal?: AbortSignal): Promise<ProbeSummary> {
  const results: ProbeResult[] = [];
  for (let i = 0; i < check.attempts; i++) {
    const r = await probeOnce(url, check, auth, signal);
    results.push(r);
    if (r.ok) break;
  }
  const last = results.at(-1);
  return { ...summarize(url, results), ok: last?.ok === true };
}

export function summarize(url: string, results: ProbeResult[]): ProbeSummary {
  const failures = results.filter((r) => !r.ok).length;
  const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  const lastError = [...results].reverse().find((r) => r.error)?.error;
  return {
    url,
    ok: failures === 0,
    count: results.length,
    failures,
    errorRate: results.length === 0 ? 0 : failures / results.length,
    p50Ms: Math.round(percentile(latencies, 50)),
    p95Ms: Math.round(percentile(latencies, 95)),
    ...(lastError ? { lastError } : {}),
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

export function jsonFieldProblem(text: string, spec: string): string | undefined {
  const eq = spec.indexOf("=");
  const path = eq < 0 ? spec : spec.slice(0, eq);
  const expected = eq < 0 ? undefined : spec.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `body is not JSON (expected ${spec})`;
  }
  for (const key of path.split(".")) {
    value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (value === undefined) return `JSON field ${path} is missing`;
  if (expected !== undefined && String(value) !== expected) return `JSON field ${path} is ${JSON.stringify(value)}, expected ${expected}`;
  return undefined;
}
