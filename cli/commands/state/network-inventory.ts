/**
 * What exists in the project around the VPC networks: one normalized list of objects read from the
 * public REST APIs (Compute, Serverless VPC Access, Memorystore for Redis, Service Networking,
 * Cloud Run v2). Pure types here; the reading is in network-api.ts.
 */

export type ObjectKind = "runService" | "redisInstance" | "connector" | "firewall" | "psaConnection" | "peering" | "globalAddress" | "route" | "subnetwork" | "network";

export interface CloudObject {
  kind: ObjectKind;
  /** short name (for a PSA connection: the network's name) */
  name: string;
  /** full resource name or self link path, for messages */
  resource: string;
  /** short name of the network it is attached to */
  network?: string;
  labels?: Record<string, string>;
  /** connector names a Cloud Run service reaches the VPC through */
  connectors?: string[];
  /** a Cloud Run service with Direct VPC egress on this network */
  directEgress?: boolean;
  /** Compute route created by Google for the network itself (deleted with it) */
  system?: boolean;
}

export interface Inventory {
  project: string;
  region: string;
  objects: CloudObject[];
}

export const KIND_LABEL: Record<ObjectKind, string> = {
  runService: "Cloud Run service",
  redisInstance: "Memorystore instance",
  connector: "VPC access connector",
  firewall: "firewall rule",
  psaConnection: "private service access connection",
  peering: "VPC peering",
  globalAddress: "global address",
  route: "route",
  subnetwork: "subnetwork",
  network: "network",
};

export function findObject(inventory: Inventory, kind: ObjectKind, name: string): CloudObject | undefined {
  return inventory.objects.find((o) => o.kind === kind && o.name === name);
}

/** Short name from a self link, full resource name or bare name. */
export function shortName(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  return ref.split("/").filter(Boolean).at(-1);
}

/** Firewall rules a Serverless VPC Access connector creates; Google deletes them some minutes after the connector. */
export function isConnectorFirewall(name: string): boolean {
  return name.startsWith("aet-");
}

/** The connector an aet-* rule belongs to (`aet-<region>-<connector>-earfw|egrfw|...`), if it still exists. */
export function connectorOfRule(inventory: Inventory, rule: string): string | undefined {
  if (!isConnectorFirewall(rule)) return undefined;
  return inventory.objects.find((o) => o.kind === "connector" && (rule.includes(`-${o.name}-`) || rule.endsWith(`-${o.name}`)))?.name;
}

/** The peering that a private service access connection creates on the consumer network. */
export const PSA_PEERING = "servicenetworking-googleapis-com";
