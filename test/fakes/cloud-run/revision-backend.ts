/**
 * The "container" behind a fake Cloud Run revision: a real local HTTP server whose behaviour is
 * picked from the image name, so every health probe opsctl makes is real HTTP.
 *
 * The image's tag (after the last ":") or its last path segment selects the behaviour:
 *   healthy            200 {"status":"ok"} on every path (the default for unknown names)
 *   failing            503 {"status":"down"}
 *   slow-<ms>          healthy after <ms> of latency (default 800)
 *   flaky-<pct>        deterministic flakiness: fails the requests whose sequence number falls in
 *                      the first <pct> of each 100 (default 50)
 *   fails-after-<n>    healthy for the first <n> requests, then 503
 *   never-ready        the revision never becomes Ready (the backend still answers 503)
 *   bad-json           200 {"status":"degraded"} (fails a `status=ok` JSON field check)
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type BackendBehaviour =
  | { kind: "healthy" }
  | { kind: "failing" }
  | { kind: "slow"; ms: number }
  | { kind: "flaky"; percent: number }
  | { kind: "fails-after"; n: number }
  | { kind: "never-ready" }
  | { kind: "bad-json" };

export function behaviourFromImage(image: string): BackendBehaviour {
  const tag = image.includes(":") ? image.slice(image.lastIndexOf(":") + 1) : image.slice(image.lastIndexOf("/") + 1);
  const m = /^(healthy|failing|slow|flaky|fails-after|never-ready|bad-json)(?:-(\d+))?/.exec(tag);
  const n = m?.[2] === undefined ? undefined : Number(m[2]);
  switch (m?.[1]) {
    case "failing":
      return { kind: "failing" };
    case "slow":
      return { kind: "slow", ms: n ?? 800 };
    case "flaky":
      return { kind: "flaky", percent: n ?? 50 };
    case "fails-after":
      return { kind: "fails-after", n: n ?? 3 };
    case "never-ready":
      return { kind: "never-ready" };
    case "bad-json":
      return { kind: "bad-json" };
    default:
      return { kind: "healthy" };
  }
}

export class RevisionBackend {
  requests = 0;
  private server: Server | undefined;

  constructor(
    readonly revision: string,
    readonly behaviour: BackendBehaviour,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      req.resume();
      const seq = this.requests++;
      const reply = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", "x-revision": this.revision });
        res.end(text);
      };
      const ok = () => reply(200, { status: "ok", revision: this.revision });
      const down = () => reply(503, { status: "down", revision: this.revision });
      const b = this.behaviour;
      switch (b.kind) {
        case "healthy":
          return ok();
        case "failing":
        case "never-ready":
          return down();
        case "bad-json":
          return reply(200, { status: "degraded", revision: this.revision });
        case "slow":
          setTimeout(ok, b.ms).unref();
          return;
        case "flaky":
          return seq % 100 < b.percent ? down() : ok();
        case "fails-after":
          return seq < b.n ? ok() : down();
      }
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error(`backend of ${this.revision} not started`);
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }
}
