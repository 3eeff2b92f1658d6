import { describe, expect, it } from "vitest";
import type { Inventory } from "./network-inventory.js";
import { planNetworkTeardown, usersOfNetwork } from "./plan-network-teardown.js";

const inventory: Inventory = {
  project: "p",
  region: "r",
  objects: [
    { kind: "network", name: "vpc", resource: "n" },
    { kind: "network", name: "other", resource: "o" },
    { kind: "subnetwork", name: "sub", resource: "/compute/v1/projects/p/regions/r/subnetworks/sub", network: "vpc" },
    { kind: "firewall", name: "allow-health", resource: "f", network: "vpc" },
    { kind: "firewall", name: "aet-r-conn-earfw", resource: "f", network: "vpc" },
    { kind: "firewall", name: "other-fw", resource: "f", network: "other" },
    { kind: "route", name: "default-route-123", resource: "r", network: "vpc", system: true },
    { kind: "route", name: "to-onprem", resource: "r", network: "vpc" },
    { kind: "globalAddress", name: "psa-range", resource: "a", network: "vpc" },
    { kind: "connector", name: "conn", resource: "c", network: "vpc" },
    { kind: "redisInstance", name: "cache", resource: "i", network: "vpc" },
    { kind: "psaConnection", name: "vpc", resource: "s", network: "vpc" },
    { kind: "peering", name: "servicenetworking-googleapis-com", resource: "p", network: "vpc" },
    { kind: "runService", name: "api", resource: "svc", connectors: ["conn"], directEgress: false },
    { kind: "runService", name: "elsewhere", resource: "svc2", connectors: [], directEgress: false },
  ],
};

describe("planNetworkTeardown", () => {
  it("GIVEN everything that can hold a network THEN the plan follows DESIGN.md's order and ends with the network", () => {
    const plan = planNetworkTeardown(inventory, "vpc");
    expect(plan.map((s) => `${s.object.kind}:${s.object.name}`)).toEqual([
      "runService:api",
      "redisInstance:cache",
      "connector:conn",
      "firewall:aet-r-conn-earfw",
      "psaConnection:vpc",
      "globalAddress:psa-range",
      "firewall:allow-health",
      "route:to-onprem",
      "subnetwork:sub",
      "network:vpc",
    ]);
    expect(plan.find((s) => s.object.name === "aet-r-conn-earfw")).toMatchObject({ action: "await-removal", description: expect.stringContaining("after connector conn is deleted") });
    expect(plan.at(-1)?.command).toBe("gcloud compute networks delete vpc --project p");
  });

  it("GIVEN a PSA peering without its connection THEN the peering itself is a step", () => {
    const orphanPeering: Inventory = { ...inventory, objects: inventory.objects.filter((o) => o.kind !== "psaConnection") };
    expect(usersOfNetwork(orphanPeering, "vpc").some((o) => o.kind === "peering")).toBe(true);
    expect(usersOfNetwork(inventory, "vpc").some((o) => o.kind === "peering")).toBe(false);
  });

  it("GIVEN another network THEN nothing of ours is planned and Google's routes are never touched", () => {
    expect(planNetworkTeardown(inventory, "other").map((s) => s.object.name)).toEqual(["other-fw", "other"]);
    expect(planNetworkTeardown(inventory, "vpc").some((s) => s.object.system)).toBe(false);
  });
});
