/**
 * A stand-in for Meta's Graph API, just enough for secret rotation:
 *   GET /{version}/oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret&fb_exchange_token
 *       → { access_token, token_type, expires_in } for a known, unexpired token
 *   GET /{version}/me with `Authorization: Bearer <token>` → 200 for a valid token, 401 (code 190) otherwise
 * Plain node:http (not HttpFake): it is not a Google API and the verifier needs request headers.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export class GraphApiFake {
  readonly validTokens = new Set<string>();
  readonly expiredTokens = new Set<string>();
  readonly issued: string[] = [];
  readonly requests: { path: string; version: string }[] = [];
  private server: Server | undefined;

  constructor(
    readonly appId: string,
    readonly appSecret: string,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://graph");
      const [, version = "", ...rest] = url.pathname.split("/");
      const path = `/${rest.join("/")}`;
      this.requests.push({ path, version });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const oauthError = (message: string, code = 190) => send(400, { error: { message, type: "OAuthException", code } });
      if (path === "/oauth/access_token") {
        const q = url.searchParams;
        if (q.get("grant_type") !== "fb_exchange_token") return oauthError("unsupported grant_type", 100);
        if (q.get("client_id") !== this.appId || q.get("client_secret") !== this.appSecret) return oauthError("Error validating client secret.", 1);
        const old = q.get("fb_exchange_token") ?? "";
        if (this.expiredTokens.has(old)) return oauthError("Error validating access token: Session has expired.");
        if (!this.validTokens.has(old)) return oauthError("Invalid OAuth access token.");
        const token = `EAAG${randomBytes(48).toString("base64url").replace(/[-_]/g, "x")}`;
        this.validTokens.add(token);
        this.issued.push(token);
        return send(200, { access_token: token, token_type: "bearer", expires_in: 5_184_000 });
      }
      if (path === "/slow-me") {
        // a verifier endpoint that hangs, so a test can interrupt the test step
        setTimeout(() => send(503, { error: { message: "too slow", code: 2 } }), 30_000).unref();
        return;
      }
      if (path === "/me") {
        const auth = req.headers.authorization ?? "";
        const token = auth.startsWith("Bearer ") ? auth.slice("Bearer ".length) : "";
        if (this.validTokens.has(token)) return send(200, { id: "1234567890", name: "WhatsApp Bot" });
        return send(401, { error: { message: "Invalid OAuth access token.", type: "OAuthException", code: 190 } });
      }
      send(404, { error: { message: `unknown path ${path}`, code: 803 } });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  get url(): string {
    const a = this.server?.address() as AddressInfo | null;
    if (!a) throw new Error("graph fake not started");
    return `http://127.0.0.1:${a.port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
