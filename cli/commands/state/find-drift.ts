/**
 * Drift between Terraform state and the project, for the resource types around a network:
 *  - orphans: state entries whose object no longer exists (a destroy finished by hand, seed 000);
 *  - leaks: objects that look like ours (our labels, or our name prefix where the type has no
 *    labels) that no stack's state knows.
 * Pure: takes the pulled states and the inventory.
 */
import type { StateEntry } from "../../core/terraform.js";
import { type CloudObject, findObject, type Inventory, isConnectorFirewall, type ObjectKind, shortName } from "./network-inventory.js";

/** Terraform resource type → the inventory kind it manages and how to get the object's name. */
const TYPE_MAP: Record<string, { kind: ObjectKind; name: (a: Record<string, unknown>) => string | undefined }> = {
  google_compute_network: { kind: "network", name: (a) => str(a.name) },
  google_compute_subnetwork: { kind: "subnetwork", name: (a) => str(a.name) },
  google_compute_firewall: { kind: "firewall", name: (a) => str(a.name) },
  google_compute_route: { kind: "route", name: (a) => str(a.name) },
  google_compute_global_address: { kind: "globalAddress", name: (a) => str(a.name) },
  google_compute_network_peering: { kind: "peering", name: (a) => str(a.name) },
  google_vpc_access_connector: { kind: "connector", name: (a) => shortName(str(a.name)) },
  google_redis_instance: { kind: "redisInstance", name: (a) => shortName(str(a.name)) },
  google_service_networking_connection: { kind: "psaConnection", name: (a) => shortName(str(a.network)) },
  google_cloud_run_v2_service: { kind: "runService", name: (a) => shortName(str(a.name)) },
  google_cloud_run_service: { kind: "runService", name: (a) => shortName(str(a.name)) },
};

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

export interface StackState {
  stack: string;
  entries: StateEntry[];
}

export interface Orphan {
  stack: string;
  address: string;
  kind: ObjectKind;
  name: string;
}

export interface Leak {
  kind: ObjectKind;
  name: string;
  resource: string;
}

/** The object a state entry manages, when opsctl knows the type. */
export function managedObject(entry: StateEntry): { kind: ObjectKind; name: string } | undefined {
  const map = TYPE_MAP[entry.type];
  const name = map?.name(entry.attributes);
  return map && name ? { kind: map.kind, name } : undefined;
}

export function findOrphans(states: StackState[], inventory: Inventory): Orphan[] {
  const out: Orphan[] = [];
  for (const s of states) {
    for (const e of s.entries) {
      const m = managedObject(e);
      if (m && !findObject(inventory, m.kind, m.name)) out.push({ stack: s.stack, address: e.address, ...m });
    }
  }
  return out;
}

/** Which stack's state holds this object (undefined: none). */
export function managingStack(states: StackState[], object: CloudObject): string | undefined {
  for (const s of states) {
    for (const e of s.entries) {
      const m = managedObject(e);
      if (m && m.kind === object.kind && m.name === object.name) return s.stack;
    }
  }
  return undefined;
}

const LABELLED: ObjectKind[] = ["redisInstance", "runService", "globalAddress"];
const BY_PREFIX: ObjectKind[] = ["network", "subnetwork", "firewall", "route", "connector"];

export function looksOurs(object: CloudObject, ours: { labels: Record<string, string>; namePrefix: string }): boolean {
  if (LABELLED.includes(object.kind)) {
    const wanted = Object.entries(ours.labels);
    if (wanted.length > 0 && object.labels) return wanted.every(([k, v]) => object.labels?.[k] === v);
    return object.name.startsWith(`${ours.namePrefix}-`);
  }
  if (BY_PREFIX.includes(object.kind)) {
    if (object.system || (object.kind === "firewall" && isConnectorFirewall(object.name))) return false;
    return object.name.startsWith(`${ours.namePrefix}-`);
  }
  return false;
}

/**
 * Leaks are only meaningful against every stack's state: an object the `data` stack manages is not
 * a leak because `--stack network` was asked for.
 */
export function findLeaks(allStates: StackState[], inventory: Inventory, ours: { labels: Record<string, string>; namePrefix: string }): Leak[] {
  return inventory.objects
    .filter((o) => looksOurs(o, ours) && managingStack(allStates, o) === undefined)
    .map((o) => ({ kind: o.kind, name: o.name, resource: o.resource }));
}
