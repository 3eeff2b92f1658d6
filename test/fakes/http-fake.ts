/**
 * The base of every fake Google control-plane API under test/fakes/. One transport for all of them:
 * plain HTTP speaking the public REST (JSON) shapes, because every official Node client can reach it
 * through its REST fallback (`OPSCTL_<API>_ENDPOINT=http://127.0.0.1:PORT`, see
 * cli/core/google-clients.ts), REST-only APIs (Compute) need nothing else, and requests are plain
 * JSON a test can read. gRPC fakes would need a server per .proto and would not serve Compute.
 *
 * Gives each fake: routing by method + path pattern, Google-shaped errors, a request log (to assert
 * that nothing mutated under --dry-run), and fault injection (latency, 429/503 for the next N calls).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
}

export interface FakeReply {
  status?: number;
  body?: unknown;
}

export type Handler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

/** Google's error body: { error: { code, message, status, errors: [{ reason, message }] } }. */
export class GoogleHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
  toBody(): unknown {
    return {
      error: {
        code: this.httpStatus,
        message: this.message,
        status: this.status,
        errors: [{ message: this.message, domain: "global", reason: this.reason ?? this.status.toLowerCase() }],
      },
    };
  }
}

export const notFound = (what: string) => new GoogleHttpError(404, "NOT_FOUND", `${what} not found`, "notFound");
export const conflict = (message: string, reason = "alreadyExists") => new GoogleHttpError(409, reason === "aborted" ? "ABORTED" : "ALREADY_EXISTS", message, reason);
export const badRequest = (message: string, reason = "badRequest") => new GoogleHttpError(400, "FAILED_PRECONDITION", message, reason);

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
  at: number;
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

interface Fault {
  status: number;
  remaining: number;
  /** only requests whose "METHOD path" matches */
  match?: RegExp;
}

export class HttpFake {
  readonly calls: RecordedCall[] = [];
  private readonly routes: Route[] = [];
  private readonly faults: Fault[] = [];
  private latencyMs = 0;
  private server: Server | undefined;

  /** Register a route. Path segments like `:name` capture one segment; `:name*` captures the rest. */
  route(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path
      .split("/")
      .map((segment) => {
        // Allow custom verbs such as ":addVersion" after a parameter: "/v1/:name*:addVersion"
        return segment.replace(/:([A-Za-z_]+)(\*)?/g, (_m, key: string, star: string | undefined) => {
          keys.push(key);
          return star ? "(.+?)" : "([^/:]+)";
        });
      })
      .join("/");
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  /** The next `count` requests (optionally matching) fail with `status` (429, 503, ...). */
  injectFault(status: number, count = 1, match?: RegExp): void {
    this.faults.push({ status, remaining: count, match });
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Calls that would change something (anything but GET), for dry-run assertions. */
  mutatingCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.method !== "GET");
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error("fake not started");
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? "/", "http://fake");
    const method = (req.method ?? "GET").toUpperCase();
    // gax's REST fallback may send the HTTP method override header for PATCH.
    const effective = (req.headers["x-http-method-override"] as string | undefined)?.toUpperCase() ?? method;
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const path = decodeURIComponent(url.pathname);
    this.calls.push({ method: effective, path, body, at: Date.now() });
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    const line = `${effective} ${path}`;
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.match || f.match.test(line)));
    if (fault) {
      fault.remaining -= 1;
      const status = fault.status === 429 ? "RESOURCE_EXHAUSTED" : fault.status === 503 ? "UNAVAILABLE" : fault.status === 409 ? "ABORTED" : "INTERNAL";
      return send(res, fault.status, new GoogleHttpError(fault.status, status, `injected ${fault.status}`).toBody());
    }
    for (const route of this.routes) {
      if (route.method !== effective) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, match[i + 1] ?? ""]));
      try {
        const reply = await route.handler({ method: effective, path, query: url.searchParams, params, body });
        return send(res, reply.status ?? 200, reply.body ?? {});
      } catch (err) {
        if (err instanceof GoogleHttpError) return send(res, err.httpStatus, err.toBody());
        return send(res, 500, new GoogleHttpError(500, "INTERNAL", String(err)).toBody());
      }
    }
    send(res, 404, new GoogleHttpError(404, "NOT_FOUND", `fake has no route for ${line}`).toBody());
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** A long-running operation resource, done after `delayMs` (Compute-style and google.longrunning-style). */
export class OperationStore {
  private readonly ops = new Map<string, { done: boolean; doneAt: number; response?: unknown; error?: unknown; onDone?: () => void }>();
  private seq = 0;

  create(prefix: string, delayMs: number, result: { response?: unknown; error?: unknown; onDone?: () => void } = {}): string {
    const name = `${prefix}/operations/op-${++this.seq}`;
    this.ops.set(name, { done: delayMs <= 0, doneAt: Date.now() + delayMs, ...result });
    if (delayMs <= 0) result.onDone?.();
    return name;
  }

  /** google.longrunning.Operation JSON */
  get(name: string): { name: string; done: boolean; response?: unknown; error?: unknown } {
    const op = this.ops.get(name);
    if (!op) throw notFound(`operation ${name}`);
    if (!op.done && Date.now() >= op.doneAt) {
      op.done = true;
      op.onDone?.();
    }
    return { name, done: op.done, ...(op.done && op.response !== undefined ? { response: op.response } : {}), ...(op.done && op.error !== undefined ? { error: op.error } : {}) };
  }
}
