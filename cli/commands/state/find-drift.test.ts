import { describe, expect, it } from "vitest";
import { findLeaks, findOrphans, managingStack } from "./find-drift.js";
import type { Inventory } from "./network-inventory.js";

const inventory: Inventory = {
  project: "p",
  region: "r",
  objects: [
    { kind: "network", name: "wa-dev-vpc", resource: "n" },
    { kind: "redisInstance", name: "wa-dev-redis", resource: "projects/p/locations/r/instances/wa-dev-redis", network: "wa-dev-vpc", labels: { env: "dev", "managed-by": "opsctl" } },
    { kind: "redisInstance", name: "someone-elses", resource: "i2", network: "wa-dev-vpc", labels: { env: "dev" } },
    { kind: "firewall", name: "aet-r-conn-earfw", resource: "f", network: "wa-dev-vpc" },
    { kind: "firewall", name: "wa-dev-stray", resource: "f", network: "wa-dev-vpc" },
  ],
};
const ours = { labels: { env: "dev", "managed-by": "opsctl" }, namePrefix: "wa-dev" };

describe("findOrphans", () => {
  it("GIVEN state entries of known types THEN the ones whose object is gone are orphans; unknown types are not judged", () => {
    const orphans = findOrphans(
      [
        {
          stack: "network",
          entries: [
            { address: "google_compute_network.vpc", type: "google_compute_network", attributes: { name: "wa-dev-vpc" } },
            { address: "google_vpc_access_connector.c", type: "google_vpc_access_connector", attributes: { name: "projects/p/locations/r/connectors/wa-dev-conn" } },
            { address: "google_service_networking_connection.psa", type: "google_service_networking_connection", attributes: { network: "projects/p/global/networks/wa-dev-vpc" } },
            { address: "google_project_service.x", type: "google_project_service", attributes: { service: "compute.googleapis.com" } },
          ],
        },
      ],
      inventory,
    );
    expect(orphans).toEqual([
      { stack: "network", address: "google_vpc_access_connector.c", kind: "connector", name: "wa-dev-conn" },
      { stack: "network", address: "google_service_networking_connection.psa", kind: "psaConnection", name: "wa-dev-vpc" },
    ]);
  });
});

describe("findLeaks", () => {
  it("GIVEN labelled and prefixed objects THEN those no state knows are leaks; aet-* rules and foreign objects are not", () => {
    const states = [{ stack: "network", entries: [{ address: "google_compute_network.vpc", type: "google_compute_network", attributes: { name: "wa-dev-vpc" } }] }];
    expect(findLeaks(states, inventory, ours).map((l) => l.name)).toEqual(["wa-dev-redis", "wa-dev-stray"]);
    expect(managingStack(states, inventory.objects[0] ?? { kind: "network", name: "", resource: "" })).toBe("network");
  });
});
