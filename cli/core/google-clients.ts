/**
 * Every Google client is built here, lazily (each library costs ~300 ms to import), with Application
 * Default Credentials and an endpoint override per API so tests and private endpoints work:
 *   FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST   honoured by the official libraries themselves
 *   OPSCTL_<API>_ENDPOINT=http://host:port           plain-HTTP endpoint reached through the client's
 *                                                     REST transport (the test fakes), no credentials
 *   OPSCTL_<API>_ENDPOINT=https://host[:port]        private endpoint, ADC credentials
 */
export const CONTROL_PLANE_APIS = {
  run: { env: "OPSCTL_RUN_ENDPOINT", host: "run.googleapis.com" },
  secretmanager: { env: "OPSCTL_SECRETMANAGER_ENDPOINT", host: "secretmanager.googleapis.com" },
  compute: { env: "OPSCTL_COMPUTE_ENDPOINT", host: "compute.googleapis.com" },
  vpcaccess: { env: "OPSCTL_VPCACCESS_ENDPOINT", host: "vpcaccess.googleapis.com" },
  redis: { env: "OPSCTL_REDIS_ENDPOINT", host: "redis.googleapis.com" },
  servicenetworking: { env: "OPSCTL_SERVICENETWORKING_ENDPOINT", host: "servicenetworking.googleapis.com" },
  monitoring: { env: "OPSCTL_MONITORING_ENDPOINT", host: "monitoring.googleapis.com" },
} as const;

import type { ClientOptions } from "google-gax";

export type ControlPlaneApi = keyof typeof CONTROL_PLANE_APIS;

export interface Endpoint {
  /** https://host or http://host:port, no trailing slash */
  baseUrl: string;
  host: string;
  port: number;
  plainHttp: boolean;
  overridden: boolean;
}

export function endpointFor(api: ControlPlaneApi, env: NodeJS.ProcessEnv = process.env): Endpoint {
  const spec = CONTROL_PLANE_APIS[api];
  const override = env[spec.env];
  if (!override) return { baseUrl: `https://${spec.host}`, host: spec.host, port: 443, plainHttp: false, overridden: false };
  const url = new URL(override.includes("://") ? override : `https://${override}`);
  const plainHttp = url.protocol === "http:";
  const port = url.port ? Number(url.port) : plainHttp ? 80 : 443;
  return { baseUrl: `${url.protocol}//${url.host}`, host: url.hostname, port, plainHttp, overridden: true };
}

/** Which endpoints are not Google's defaults (for `opsctl doctor` and -v logs). */
export function overriddenEndpoints(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  if (env.FIRESTORE_EMULATOR_HOST) out.firestore = `${env.FIRESTORE_EMULATOR_HOST} (emulator)`;
  if (env.PUBSUB_EMULATOR_HOST) out.pubsub = `${env.PUBSUB_EMULATOR_HOST} (emulator)`;
  for (const api of Object.keys(CONTROL_PLANE_APIS) as ControlPlaneApi[]) {
    const e = endpointFor(api, env);
    if (e.overridden) out[api] = e.baseUrl;
  }
  return out;
}

/** Constructor options for a gax-based client (Run, Secret Manager, ...). */
export async function gaxClientOptions(api: ControlPlaneApi, env: NodeJS.ProcessEnv = process.env): Promise<ClientOptions> {
  const e = endpointFor(api, env);
  if (!e.overridden) return {};
  if (e.plainHttp) {
    // A local fake speaks the public REST shapes over plain HTTP; it needs no token, so a
    // pass-through auth client avoids looking for ADC at all.
    const { PassThroughClient } = await import("google-auth-library");
    return { fallback: "rest", protocol: "http", apiEndpoint: e.host, port: e.port, authClient: new PassThroughClient() } as ClientOptions;
  }
  return { apiEndpoint: e.host, port: e.port };
}

/** An authenticated fetch for REST APIs without a convenient client (Compute, VPC Access, ...). */
export async function restClient(api: ControlPlaneApi, env: NodeJS.ProcessEnv = process.env): Promise<{ baseUrl: string; request<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> }> {
  const e = endpointFor(api, env);
  const { GoogleAuth } = await import("google-auth-library");
  const auth = e.plainHttp ? undefined : new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  const client = auth ? await auth.getClient() : undefined;
  return {
    baseUrl: e.baseUrl,
    async request<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
      const url = `${e.baseUrl}${path}`;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (client) Object.assign(headers, Object.fromEntries(Object.entries(await client.getRequestHeaders(url))));
      const res = await fetch(url, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
      const text = await res.text();
      const body: unknown = text ? JSON.parse(text) : {};
      if (!res.ok) {
        const err = new Error(`${init.method ?? "GET"} ${path} → HTTP ${res.status}: ${extractMessage(body) ?? text.slice(0, 300)}`) as Error & { status: number; body: unknown };
        err.status = res.status;
        err.body = body;
        throw err;
      }
      return body as T;
    },
  };
}

function extractMessage(body: unknown): string | undefined {
  if (body && typeof body === "object" && "error" in body) {
    const e = (body as { error: unknown }).error;
    if (e && typeof e === "object" && "message" in e && typeof (e as { message: unknown }).message === "string") return (e as { message: string }).message;
  }
  return undefined;
}

export async function secretManagerClient(env: NodeJS.ProcessEnv = process.env) {
  const { SecretManagerServiceClient } = await import("@google-cloud/secret-manager");
  return new SecretManagerServiceClient(await gaxClientOptions("secretmanager", env));
}

export async function runServicesClient(env: NodeJS.ProcessEnv = process.env) {
  const { ServicesClient } = await import("@google-cloud/run");
  return new ServicesClient(await gaxClientOptions("run", env));
}

export async function runRevisionsClient(env: NodeJS.ProcessEnv = process.env) {
  const { RevisionsClient } = await import("@google-cloud/run");
  return new RevisionsClient(await gaxClientOptions("run", env));
}

/** Firestore honours FIRESTORE_EMULATOR_HOST itself (gRPC, no credentials). */
export async function firestoreClient(projectId: string, databaseId = "(default)") {
  const { Firestore } = await import("@google-cloud/firestore");
  return new Firestore({ projectId, databaseId, ignoreUndefinedProperties: true });
}

/** Pub/Sub honours PUBSUB_EMULATOR_HOST itself. */
export async function pubsubClient(projectId: string) {
  const { PubSub } = await import("@google-cloud/pubsub");
  return new PubSub({ projectId });
}

/**
 * The raw gapic Publisher/Subscriber clients (unary pull, explicit ack, publish with confirmation),
 * for work the streaming high-level client hides: dead-letter inspection and replay. They read no
 * emulator variable themselves, so they take the high-level client's resolved options.
 */
export async function pubsubGapicClients(projectId: string) {
  const { v1 } = await import("@google-cloud/pubsub");
  const pubsub = await pubsubClient(projectId);
  const options = (await pubsub.getClientConfig()) as ClientOptions;
  if (process.env.PUBSUB_EMULATOR_HOST) {
    // The emulator needs no token; without this the gapic clients probe the metadata server for a
    // universe domain and print a MetadataLookupWarning on every run.
    const { PassThroughClient } = await import("google-auth-library");
    options.authClient = new PassThroughClient();
  }
  return { pubsub, subscriber: new v1.SubscriberClient(options), publisher: new v1.PublisherClient(options) };
}

/** Where Application Default Credentials would come from, without calling Google. */
export async function findAdc(env: NodeJS.ProcessEnv = process.env): Promise<{ found: boolean; source: string }> {
  const { existsSync } = await import("node:fs");
  const { homedir } = await import("node:os");
  const { join } = await import("node:path");
  if (env.GOOGLE_APPLICATION_CREDENTIALS) {
    return existsSync(env.GOOGLE_APPLICATION_CREDENTIALS)
      ? { found: true, source: `GOOGLE_APPLICATION_CREDENTIALS=${env.GOOGLE_APPLICATION_CREDENTIALS}` }
      : { found: false, source: `GOOGLE_APPLICATION_CREDENTIALS points at a missing file: ${env.GOOGLE_APPLICATION_CREDENTIALS}` };
  }
  const wellKnown = join(env.CLOUDSDK_CONFIG ?? join(homedir(), ".config", "gcloud"), "application_default_credentials.json");
  if (existsSync(wellKnown)) return { found: true, source: wellKnown };
  if (env.K_SERVICE || env.CLOUD_RUN_JOB || env.GCE_METADATA_HOST) return { found: true, source: "metadata server (running on Google Cloud)" };
  return { found: false, source: "none" };
}
