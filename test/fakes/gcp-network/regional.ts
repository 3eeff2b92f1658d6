/**
 * The google.longrunning-style APIs around a network: Serverless VPC Access v1 connectors,
 * Memorystore for Redis v1 instances, Cloud Run v2 services, Service Networking v1 connections.
 */
import { badRequest, type HttpFake, notFound } from "../http-fake.js";
import type { FakeRedisEndpoint, NetworkWorld } from "./world.js";

/** A delete that becomes a google.longrunning.Operation done after the world's delay. */
function longRunning(world: NetworkWorld, prefix: string, apply: () => void, error?: { code: number; message: string }): { body: unknown } {
  const name = world.ops.create(prefix, world.options.operationDelayMs, error ? { error } : { response: {}, onDone: apply });
  setTimeout(() => world.ops.get(name), world.options.operationDelayMs + 1).unref();
  return { body: world.ops.get(name) };
}

function operationRoutes(fake: HttpFake, world: NetworkWorld, version: string): void {
  fake.route("GET", `/${version}/projects/:project/locations/:location/operations/:op`, ({ path }) => ({ body: world.ops.get(path.slice(version.length + 2)) }));
}

export function registerVpcAccess(fake: HttpFake, world: NetworkWorld): void {
  const base = "/v1/projects/:project/locations/:location/connectors";
  const loc = () => `projects/${world.project}/locations/${world.options.region}`;
  const render = (c: { name: string; network: string; deleting?: boolean }) => ({ name: `${loc()}/connectors/${c.name}`, network: c.network, ipCidrRange: "10.8.0.0/28", state: c.deleting ? "DELETING" : "READY" });
  fake.route("GET", base, () => ({ body: { connectors: [...world.connectors.values()].map(render) } }));
  fake.route("GET", `${base}/:name`, ({ params }) => {
    const c = world.connectors.get(params.name ?? "");
    if (!c) throw notFound(`connector ${params.name}`);
    return { body: render(c) };
  });
  fake.route("DELETE", `${base}/:name`, ({ params }) => {
    const name = params.name ?? "";
    const c = world.connectors.get(name);
    if (!c) throw notFound(`connector ${name}`);
    if (c.deleting) throw badRequest(`connector ${name} is being deleted`, "resourceNotReady");
    c.deleting = true;
    return longRunning(world, loc(), () => world.connectorDeleted(name));
  });
  operationRoutes(fake, world, "v1");
}

export function registerRedis(fake: HttpFake, world: NetworkWorld): void {
  const base = "/v1/projects/:project/locations/:location/instances";
  const loc = () => `projects/${world.project}/locations/${world.options.region}`;
  const render = (r: { name: string; network: string; labels?: Record<string, string>; deleting?: boolean; endpoint?: FakeRedisEndpoint }) => ({
    name: `${loc()}/instances/${r.name}`,
    authorizedNetwork: `projects/${world.project}/global/networks/${r.network}`,
    connectMode: "PRIVATE_SERVICE_ACCESS",
    labels: r.labels ?? {},
    state: r.deleting ? "DELETING" : "READY",
    host: r.endpoint?.host ?? "10.20.0.3",
    port: r.endpoint?.port ?? 6379,
    ...(r.endpoint?.readEndpoint ? { readEndpoint: r.endpoint.readEndpoint, readEndpointPort: r.endpoint.readEndpointPort ?? 6379 } : {}),
    transitEncryptionMode: r.endpoint?.transitEncryption ? "SERVER_AUTHENTICATION" : "DISABLED",
  });
  fake.route("GET", base, () => ({ body: { instances: [...world.redis.values()].map(render) } }));
  fake.route("GET", `${base}/:name`, ({ params }) => {
    const r = world.redis.get(params.name ?? "");
    if (!r) throw notFound(`instance ${params.name}`);
    return { body: render(r) };
  });
  fake.route("DELETE", `${base}/:name`, ({ params }) => {
    const name = params.name ?? "";
    const r = world.redis.get(name);
    if (!r) throw notFound(`instance ${name}`);
    if (r.deleting) throw badRequest(`instance ${name} is being deleted`, "resourceNotReady");
    r.deleting = true;
    return longRunning(world, loc(), () => world.redisDeleted(name));
  });
  operationRoutes(fake, world, "v1");
}

export function registerRun(fake: HttpFake, world: NetworkWorld): void {
  const base = "/v2/projects/:project/locations/:location/services";
  const loc = () => `projects/${world.project}/locations/${world.options.region}`;
  fake.route("GET", base, () => ({
    body: {
      services: [...world.runServices.values()].map((s) => ({
        name: `${loc()}/services/${s.name}`,
        labels: s.labels ?? {},
        template: {
          vpcAccess: {
            ...(s.connector ? { connector: `${loc()}/connectors/${s.connector}`, egress: "PRIVATE_RANGES_ONLY" } : {}),
            ...(s.directEgress ? { networkInterfaces: [{ network: s.directEgress.network, subnetwork: s.directEgress.subnetwork }] } : {}),
          },
        },
      })),
    },
  }));
  fake.route("DELETE", `${base}/:name`, ({ params }) => {
    const name = params.name ?? "";
    const s = world.runServices.get(name);
    if (!s) throw notFound(`service ${name}`);
    if (s.deleting) throw badRequest(`service ${name} is being deleted`, "resourceNotReady");
    s.deleting = true;
    return longRunning(world, loc(), () => world.runServices.delete(name));
  });
  operationRoutes(fake, world, "v2");
}

export function registerServiceNetworking(fake: HttpFake, world: NetworkWorld): void {
  const consumer = (network: string) => `projects/${world.options.projectNumber}/global/networks/${network}`;
  fake.route("GET", "/v1/services/:service/connections", ({ query }) => {
    const wanted = query.get("network") ?? "";
    // The real API wants the project *number* in the network name.
    if (!wanted.startsWith(`projects/${world.options.projectNumber}/`)) throw badRequest(`network ${wanted}: expected projects/{project number}/global/networks/{name}`, "invalid");
    const conn = [...world.psa.values()].find((c) => consumer(c.network) === wanted);
    return { body: conn ? { connections: [{ network: wanted, service: "servicenetworking.googleapis.com", peering: "servicenetworking-googleapis-com", reservedPeeringRanges: conn.ranges }] } : {} };
  });
  fake.route("POST", "/v1/services/:service/connections/:rest*", ({ params, body }) => {
    if (!params.rest?.endsWith(":deleteConnection")) throw notFound(`method ${params.rest}`);
    const network = ((body as { consumerNetwork?: string } | undefined)?.consumerNetwork ?? "").split("/").at(-1) ?? "";
    try {
      world.checkPsaDeletable(network);
    } catch (err) {
      // Like the real API, the producer refusal arrives as a failed operation (code 9), not as an
      // HTTP error: "Error waiting for Delete Service Networking Connection: Error code 9, ...".
      if (err instanceof Error && /Producer services/.test(err.message)) return longRunning(world, "sn", () => {}, { code: 9, message: err.message });
      throw err;
    }
    const conn = world.psa.get(network);
    if (conn) conn.deleting = true;
    return longRunning(world, "sn", () => {
      world.psa.delete(network);
      const n = world.networks.get(network);
      if (n) n.peerings = n.peerings.filter((p) => p.name !== "servicenetworking-googleapis-com");
    });
  });
  fake.route("GET", "/v1/sn/operations/:op", ({ path }) => ({ body: world.ops.get(path.slice("/v1/".length)) }));
}
