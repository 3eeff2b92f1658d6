/**
 * Compute Engine v1 REST shapes used around a network: networks (+ removePeering), subnetworks,
 * firewalls, routes, global addresses, global/regional operations, and the project resource (whose
 * numeric `id` is the project number). Deletes are operations that finish after the world's delay.
 */
import { badRequest, type HttpFake, notFound } from "../http-fake.js";
import type { NetworkWorld } from "./world.js";

interface ComputeOp {
  scope: string;
  target: string;
}

export function registerCompute(fake: HttpFake, world: NetworkWorld): void {
  const base = "/compute/v1/projects/:project";
  const host = "https://compute.googleapis.com";
  const pending = new Map<string, ComputeOp>();
  const deleting = new Set<string>();

  /** Start an operation that applies `apply` when done (even if nobody polls it). */
  const operation = (scope: string, target: string, apply: () => void) => {
    if (deleting.has(target)) throw badRequest(`The resource '${target}' is not ready`, "resourceNotReady");
    deleting.add(target);
    const name = world.ops.create(`projects/${world.project}/${scope}`, world.options.operationDelayMs, {
      onDone: () => {
        deleting.delete(target);
        apply();
      },
    });
    const short = name.split("/").at(-1) ?? name;
    pending.set(short, { scope, target });
    const timer = setTimeout(() => world.ops.get(name), world.options.operationDelayMs + 1);
    timer.unref();
    return { body: render(name, scope, target) };
  };

  const render = (fullName: string, scope: string, target: string) => {
    const op = world.ops.get(fullName);
    const short = fullName.split("/").at(-1);
    return {
      kind: "compute#operation",
      name: short,
      operationType: "delete",
      status: op.done ? "DONE" : "RUNNING",
      targetLink: `${host}/compute/v1/${target}`,
      selfLink: `${host}/compute/v1/projects/${world.project}/${scope}/operations/${short}`,
    };
  };

  const items = <T extends { name: string }>(values: Iterable<T>, map: (v: T) => Record<string, unknown>) => ({ body: { kind: "compute#list", items: [...values].map(map) } });
  const p = () => `projects/${world.project}`;

  fake.route("GET", base, () => ({ body: { kind: "compute#project", name: world.project, id: world.options.projectNumber } }));

  fake.route("GET", `${base}/global/networks`, () => items(world.networks.values(), (n) => ({ name: n.name, selfLink: world.networkLink(n.name), peerings: n.peerings })));
  fake.route("GET", `${base}/global/networks/:name`, ({ params }) => {
    const n = world.networks.get(params.name ?? "");
    if (!n) throw notFound(`network ${params.name}`);
    return { body: { name: n.name, selfLink: world.networkLink(n.name), peerings: n.peerings } };
  });
  fake.route("DELETE", `${base}/global/networks/:name`, ({ params }) => {
    const name = params.name ?? "";
    world.checkNetworkDeletable(name);
    return operation("global", `${p()}/global/networks/${name}`, () => world.networks.delete(name));
  });
  fake.route("POST", `${base}/global/networks/:name/removePeering`, ({ params, body }) => {
    const n = world.networks.get(params.name ?? "");
    if (!n) throw notFound(`network ${params.name}`);
    const peering = (body as { name?: string } | undefined)?.name;
    if (!n.peerings.some((x) => x.name === peering)) throw notFound(`peering ${peering}`);
    return operation("global", `${p()}/global/networks/${n.name}/peerings/${peering}`, () => {
      n.peerings = n.peerings.filter((x) => x.name !== peering);
      // Removing the PSA peering by hand leaves the connection object without a peering.
      if (peering === "servicenetworking-googleapis-com") world.psa.delete(n.name);
    });
  });

  const subnet = (s: { name: string; network: string; region?: string }) => ({ name: s.name, network: world.networkLink(s.network), region: `${host}/compute/v1/projects/${world.project}/regions/${s.region ?? world.options.region}` });
  fake.route("GET", `${base}/regions/:region/subnetworks`, ({ params }) => items([...world.subnetworks.values()].filter((s) => (s.region ?? world.options.region) === params.region), subnet));
  fake.route("GET", `${base}/aggregated/subnetworks`, () => {
    const byRegion: Record<string, { subnetworks: unknown[] }> = {};
    for (const s of world.subnetworks.values()) {
      const key = `regions/${s.region ?? world.options.region}`;
      byRegion[key] = { subnetworks: [...(byRegion[key]?.subnetworks ?? []), subnet(s)] };
    }
    return { body: { kind: "compute#subnetworkAggregatedList", items: byRegion } };
  });
  fake.route("DELETE", `${base}/regions/:region/subnetworks/:name`, ({ params }) => {
    const name = params.name ?? "";
    const found = world.subnetworks.get(name);
    if (!found || (found.region ?? world.options.region) !== params.region) throw notFound(`subnetwork ${name} in ${params.region}`);
    world.checkSubnetworkDeletable(name);
    return operation(`regions/${params.region}`, `${p()}/regions/${params.region}/subnetworks/${name}`, () => world.subnetworks.delete(name));
  });

  const simple = (collection: string, map: Map<string, { name: string; network: string; labels?: Record<string, string> }>, check?: (name: string) => void) => {
    fake.route("GET", `${base}/global/${collection}`, () => items(map.values(), (x) => ({ name: x.name, network: world.networkLink(x.network), ...(x.labels ? { labels: x.labels } : {}) })));
    fake.route("GET", `${base}/global/${collection}/:name`, ({ params }) => {
      const x = map.get(params.name ?? "");
      if (!x) throw notFound(`${collection} ${params.name}`);
      return { body: { name: x.name, network: world.networkLink(x.network) } };
    });
    fake.route("DELETE", `${base}/global/${collection}/:name`, ({ params }) => {
      const name = params.name ?? "";
      if (!map.has(name)) throw notFound(`${collection} ${name}`);
      check?.(name);
      return operation("global", `${p()}/global/${collection}/${name}`, () => map.delete(name));
    });
  };
  simple("firewalls", world.firewalls);
  simple("routes", world.routes);
  simple("addresses", world.addresses, (name) => world.checkAddressDeletable(name));

  const opRoute = ({ params }: { params: Record<string, string> }) => {
    const short = params.op ?? "";
    const known = pending.get(short);
    if (!known) throw notFound(`operation ${short}`);
    return { body: render(`projects/${world.project}/${known.scope}/operations/${short}`, known.scope, known.target) };
  };
  fake.route("GET", `${base}/global/operations/:op`, opRoute);
  fake.route("GET", `${base}/regions/:region/operations/:op`, opRoute);
}
