/**
 * The meta-token provider: exchange the current long-lived Meta (Graph API) user token for a new
 * one (`GET /{version}/oauth/access_token?grant_type=fb_exchange_token`). Meta long-lived tokens last
 * about 60 days and cannot be exchanged once expired, hence the 55-day schedule (seed 004) and the
 * whatsapp-token-expired runbook. The request URL carries the app secret and the token: it is never
 * logged or put in an error message.
 */
import { OpsError } from "../core/errors.js";
import { ExitCode } from "../core/exit-codes.js";
import { registerSecret } from "../core/redact.js";

export const DEFAULT_GRAPH_API_BASE_URL = "https://graph.facebook.com";
export const DEFAULT_GRAPH_API_VERSION = "v24.0";

export interface MetaExchangeInput {
  baseUrl: string;
  version: string;
  appId: string;
  appSecret: string;
  currentToken: string;
  timeoutMs?: number;
}

export interface MetaExchangeResult {
  token: string;
  expiresInSeconds: number | undefined;
}

export async function exchangeMetaToken(input: MetaExchangeInput): Promise<MetaExchangeResult> {
  registerSecret(input.appSecret);
  registerSecret(input.currentToken);
  const endpoint = `${input.baseUrl.replace(/\/+$/, "")}/${input.version}/oauth/access_token`;
  const url = new URL(endpoint);
  url.searchParams.set("grant_type", "fb_exchange_token");
  url.searchParams.set("client_id", input.appId);
  url.searchParams.set("client_secret", input.appSecret);
  url.searchParams.set("fb_exchange_token", input.currentToken);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(input.timeoutMs ?? 15_000) });
  } catch (err) {
    throw new OpsError(`Meta token exchange at ${endpoint} failed: ${err instanceof Error ? err.name : "network error"}`, {
      code: "meta_exchange_unreachable",
      exitCode: ExitCode.remote,
      hint: "check network egress to the Graph API; nothing was changed in Secret Manager",
      runbook: "whatsapp-token-expired",
    });
  }
  const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: { message?: unknown; code?: unknown; error_subcode?: unknown } };
  if (!res.ok || typeof body.access_token !== "string" || body.access_token === "") {
    // Graph error messages do not echo the token, but pass them through redaction anyway (output layer).
    const reason = typeof body.error?.message === "string" ? body.error.message : `HTTP ${res.status}`;
    const expired = body.error?.code === 190;
    throw new OpsError(`Meta token exchange at ${endpoint} was refused: ${reason}`, {
      code: expired ? "meta_token_expired" : "meta_exchange_refused",
      exitCode: ExitCode.remote,
      hint: expired
        ? "the current token has expired and cannot be exchanged: issue a new one in Meta Business Manager and rotate with --from-stdin"
        : "check the app id and app secret; nothing was changed in Secret Manager",
      runbook: "whatsapp-token-expired",
    });
  }
  registerSecret(body.access_token);
  return { token: body.access_token, expiresInSeconds: typeof body.expires_in === "number" ? body.expires_in : undefined };
}
