/**
 * The shared world behind the fake Compute / VPC Access / Memorystore / Service Networking / Cloud
 * Run APIs: one project's networks and everything attached to them, with the dependency rules the
 * real control plane enforces (DESIGN.md "Known traps"):
 *  - a network (or subnet, or global address) that anything references cannot be deleted: 400
 *    resourceInUseByAnotherResource naming the user;
 *  - deleting a VPC connector leaves its aet-* firewall rules behind for `aetLingerMs`;
 *  - the private service access connection refuses deletion while a Memorystore instance uses the
 *    network ("Producer services ... are still using this connection");
 *  - deletions are long-running operations that finish after `operationDelayMs`; an object being
 *    deleted answers a second delete with 400 resourceNotReady.
 */
import { badRequest, notFound, OperationStore } from "../http-fake.js";

export interface FakeNetwork {
  name: string;
  peerings: { name: string; network: string; state: string }[];
}

export interface FakeAttached {
  name: string;
  network: string;
  labels?: Record<string, string>;
  deleting?: boolean;
}

/** What a Memorystore instance serves (issue 7 env verify resolves redis.host / redis.port from it). */
export interface FakeRedisEndpoint {
  host?: string;
  port?: number;
  readEndpoint?: string;
  readEndpointPort?: number;
  transitEncryption?: boolean;
}

export interface FakeRunService {
  name: string;
  labels?: Record<string, string>;
  connector?: string;
  directEgress?: { network: string; subnetwork: string };
  deleting?: boolean;
}

export interface WorldOptions {
  project: string;
  projectNumber: string;
  region: string;
  operationDelayMs: number;
  aetLingerMs: number;
  /**
   * How long the PSA connection keeps refusing deletion after its last producer is gone (the
   * provider bug behind terraform-provider-google #16275); 0: it frees up at once.
   */
  producerReleaseMs?: number;
}

export class NetworkWorld {
  readonly ops = new OperationStore();
  readonly networks = new Map<string, FakeNetwork>();
  readonly subnetworks = new Map<string, FakeAttached & { region?: string }>();
  readonly firewalls = new Map<string, FakeAttached>();
  readonly routes = new Map<string, FakeAttached>();
  readonly addresses = new Map<string, FakeAttached & { purpose?: string }>();
  readonly connectors = new Map<string, FakeAttached>();
  readonly redis = new Map<string, FakeAttached & { endpoint?: FakeRedisEndpoint }>();
  readonly runServices = new Map<string, FakeRunService>();
  /** PSA connections by network name */
  readonly psa = new Map<string, { network: string; ranges: string[]; deleting?: boolean }>();
  /** users opsctl does not list (a VM's NIC, say): full resource name → network */
  readonly foreignUsers = new Map<string, string>();
  /** when the last Memorystore instance went away, per network */
  private readonly producerGoneAt = new Map<string, number>();

  constructor(readonly options: WorldOptions) {}

  get project(): string {
    return this.options.project;
  }

  networkLink(name: string): string {
    return `https://www.googleapis.com/compute/v1/projects/${this.project}/global/networks/${name}`;
  }

  // ---- seeding -------------------------------------------------------------------------------

  addNetwork(name: string): this {
    this.networks.set(name, { name, peerings: [] });
    return this;
  }
  addSubnetwork(name: string, network: string, region = this.options.region): this {
    this.subnetworks.set(name, { name, network, region });
    return this;
  }
  addFirewall(name: string, network: string): this {
    this.firewalls.set(name, { name, network });
    return this;
  }
  addRoute(name: string, network: string): this {
    this.routes.set(name, { name, network });
    return this;
  }
  addGlobalAddress(name: string, network: string, labels?: Record<string, string>): this {
    this.addresses.set(name, { name, network, labels, purpose: "VPC_PEERING" });
    return this;
  }
  /** A connector and the aet-* firewall rules Google creates for it. */
  addConnector(name: string, network: string): this {
    this.connectors.set(name, { name, network });
    for (const rule of this.aetRuleNames(name)) this.firewalls.set(rule, { name: rule, network });
    return this;
  }
  addRedis(name: string, network: string, labels?: Record<string, string>, endpoint?: FakeRedisEndpoint): this {
    this.redis.set(name, { name, network, labels, ...(endpoint ? { endpoint } : {}) });
    return this;
  }
  addRunService(service: FakeRunService): this {
    this.runServices.set(service.name, service);
    return this;
  }
  addPsaConnection(network: string, range: string): this {
    this.psa.set(network, { network, ranges: [range] });
    this.networks.get(network)?.peerings.push({ name: "servicenetworking-googleapis-com", network: `https://www.googleapis.com/compute/v1/projects/sn-tenant/global/networks/servicenetworking`, state: "ACTIVE" });
    return this;
  }

  aetRuleNames(connector: string): string[] {
    const base = `aet-${this.options.region.replace(/-/g, "")}-${connector}`;
    return [`${base}-earfw`, `${base}-egrfw`];
  }

  // ---- dependency rules ---------------------------------------------------------------------

  private inUse(kind: string, name: string, user: string): never {
    throw badRequest(`The ${kind} resource 'projects/${this.project}/${kind === "subnetwork" ? `regions/${this.options.region}/subnetworks` : `global/${kind}s`}/${name}' is already being used by '${user}'`, "resourceInUseByAnotherResource");
  }

  /** Who still uses network `name` (first one wins, like the real error message). */
  networkUser(name: string): string | undefined {
    const p = `projects/${this.project}`;
    for (const s of this.subnetworks.values()) if (s.network === name) return `${p}/regions/${s.region ?? this.options.region}/subnetworks/${s.name}`;
    for (const f of this.firewalls.values()) if (f.network === name) return `${p}/global/firewalls/${f.name}`;
    for (const r of this.routes.values()) if (r.network === name) return `${p}/global/routes/${r.name}`;
    for (const a of this.addresses.values()) if (a.network === name) return `${p}/global/addresses/${a.name}`;
    for (const c of this.connectors.values()) if (c.network === name) return `${p}/locations/${this.options.region}/connectors/${c.name}`;
    for (const r of this.redis.values()) if (r.network === name) return `${p}/locations/${this.options.region}/instances/${r.name}`;
    for (const [resource, network] of this.foreignUsers) if (network === name) return resource;
    const peering = this.networks.get(name)?.peerings[0];
    if (peering) return `${p}/global/networks/${name}/peerings/${peering.name}`;
    return undefined;
  }

  checkNetworkDeletable(name: string): void {
    if (!this.networks.has(name)) throw notFound(`network ${name}`);
    const user = this.networkUser(name);
    if (user) this.inUse("network", name, user);
  }

  checkSubnetworkDeletable(name: string): void {
    if (!this.subnetworks.has(name)) throw notFound(`subnetwork ${name}`);
    for (const s of this.runServices.values()) {
      if (s.directEgress?.subnetwork === name) this.inUse("subnetwork", name, `projects/${this.project}/locations/${this.options.region}/services/${s.name}`);
    }
  }

  checkAddressDeletable(name: string): void {
    const address = this.addresses.get(name);
    if (!address) throw notFound(`address ${name}`);
    for (const c of this.psa.values()) if (c.ranges.includes(name)) this.inUse("address", name, `services/servicenetworking.googleapis.com/connections/${c.network}`);
  }

  checkPsaDeletable(network: string): void {
    const conn = this.psa.get(network);
    if (!conn) throw notFound(`connection for network ${network}`);
    if (conn.deleting) throw badRequest("The connection is being deleted", "resourceNotReady");
    const goneAt = this.producerGoneAt.get(network);
    const lingering = goneAt !== undefined && Date.now() - goneAt < (this.options.producerReleaseMs ?? 0);
    if (lingering || [...this.redis.values()].some((r) => r.network === network)) {
      throw badRequest("Failed to delete connection; Producer services (e.g. CloudSQL, Cloud Memstore, etc.) are still using this connection.", "FAILED_PRECONDITION");
    }
  }

  redisDeleted(name: string): void {
    const instance = this.redis.get(name);
    this.redis.delete(name);
    if (instance) this.producerGoneAt.set(instance.network, Date.now());
  }

  /** After a connector is gone, its aet-* rules go `aetLingerMs` later. */
  connectorDeleted(name: string): void {
    this.connectors.delete(name);
    const rules = this.aetRuleNames(name);
    const drop = () => {
      for (const r of rules) this.firewalls.delete(r);
    };
    if (this.options.aetLingerMs <= 0) drop();
    else setTimeout(drop, this.options.aetLingerMs).unref();
  }
}
