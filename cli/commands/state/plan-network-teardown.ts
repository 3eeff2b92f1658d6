/**
 * What still uses a network, and the order that removes it (DESIGN.md "Stacks and destroy order"):
 * Cloud Run services on the network → Memorystore instances → VPC connectors → their aet-* firewall
 * rules (Google removes them; deleted if they outlive a timeout) → the private service access
 * connection (refused while a producer still uses it; fallback: remove the peering) → global
 * addresses → remaining firewall rules → routes → subnetworks → the network. Pure: no I/O.
 */
import { type CloudObject, connectorOfRule, type Inventory, isConnectorFirewall, KIND_LABEL, type ObjectKind, PSA_PEERING } from "./network-inventory.js";

export type StepAction = "delete" | "await-removal";

export interface TeardownStep {
  object: CloudObject;
  action: StepAction;
  /** what the step does, for the plan and the doctor's "fix" column */
  description: string;
  /** the equivalent gcloud command, printed when the user declines */
  command: string;
}

const ORDER: ObjectKind[] = ["runService", "redisInstance", "connector", "firewall", "psaConnection", "peering", "globalAddress", "route", "subnetwork", "network"];

function gcloud(o: CloudObject, project: string, region: string): string {
  const p = `--project ${project}`;
  switch (o.kind) {
    case "runService":
      return `gcloud run services delete ${o.name} --region ${region} ${p}`;
    case "redisInstance":
      return `gcloud redis instances delete ${o.name} --region ${region} ${p}`;
    case "connector":
      return `gcloud compute networks vpc-access connectors delete ${o.name} --region ${region} ${p}`;
    case "firewall":
      return `gcloud compute firewall-rules delete ${o.name} ${p}`;
    case "psaConnection":
      return `gcloud services vpc-peerings delete --service servicenetworking.googleapis.com --network ${o.network} ${p}`;
    case "peering":
      return `gcloud compute networks peerings delete ${o.name} --network ${o.network} ${p}`;
    case "globalAddress":
      return `gcloud compute addresses delete ${o.name} --global ${p}`;
    case "route":
      return `gcloud compute routes delete ${o.name} ${p}`;
    case "subnetwork":
      return `gcloud compute networks subnets delete ${o.name} --region ${region} ${p}`;
    case "network":
      return `gcloud compute networks delete ${o.name} ${p}`;
  }
}

function describe(o: CloudObject, inventory: Inventory): { action: StepAction; description: string } {
  if (o.kind === "firewall" && isConnectorFirewall(o.name)) {
    const connector = connectorOfRule(inventory, o.name);
    const origin = connector ? `removed by Google some minutes after connector ${connector} is deleted` : "left by a deleted VPC connector";
    return { action: "await-removal", description: `wait for Google to remove connector firewall rule ${o.name} (${origin}); delete it if it outlives the timeout` };
  }
  if (o.kind === "runService" && o.directEgress) {
    return { action: "delete", description: `delete Cloud Run service ${o.name} (Direct VPC egress: its subnet IPs stay reserved for up to 2 hours after)` };
  }
  if (o.kind === "psaConnection") {
    return { action: "delete", description: `delete the private service access connection of ${o.network} (retried while producer services still use it; falls back to removing the peering)` };
  }
  return { action: "delete", description: `delete ${KIND_LABEL[o.kind]} ${o.name}` };
}

/** Everything attached to `network`, excluding the network itself and Google's own routes. */
export function usersOfNetwork(inventory: Inventory, network: string): CloudObject[] {
  const connectorsOnNetwork = new Set(inventory.objects.filter((o) => o.kind === "connector" && o.network === network).map((o) => o.name));
  return inventory.objects.filter((o) => {
    if (o.kind === "network" || o.system) return false;
    if (o.kind === "runService") return o.network === network || (o.connectors ?? []).some((c) => connectorsOnNetwork.has(c));
    // The PSA peering is removed by deleting the connection; it is a separate step only as a fallback.
    if (o.kind === "peering" && o.name === PSA_PEERING && inventory.objects.some((p) => p.kind === "psaConnection" && p.network === network)) return false;
    return o.network === network;
  });
}

export function planNetworkTeardown(inventory: Inventory, network: string, options: { includeNetwork: boolean } = { includeNetwork: true }): TeardownStep[] {
  const users = usersOfNetwork(inventory, network);
  const net = inventory.objects.find((o) => o.kind === "network" && o.name === network);
  const objects = [...users, ...(options.includeNetwork && net ? [net] : [])];
  const rank = (o: CloudObject) => {
    // aet-* rules are awaited right after the connectors; other firewall rules go after the addresses.
    if (o.kind === "firewall" && !isConnectorFirewall(o.name)) return ORDER.indexOf("globalAddress") + 0.5;
    return ORDER.indexOf(o.kind);
  };
  return objects
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
    .map((object) => ({ object, ...describe(object, inventory), command: gcloud(object, inventory.project, inventory.region) }));
}
