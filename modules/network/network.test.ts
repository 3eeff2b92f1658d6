import { describe, expect, it } from "vitest";
import { synthConstructs } from "../core/synth-json.js";
import { Network, type NetworkProps } from "./index.js";

const props: NetworkProps = {
  region: "southamerica-east1",
  networkName: "wa-dev-vpc",
  subnetName: "wa-dev-subnet",
  subnetCidr: "10.10.0.0/24",
  privateServiceRangeName: "wa-dev-psa-range",
  privateServiceRange: "10.20.0.0/16",
  egress: "connector",
  connector: { name: "wa-dev-conn", cidr: "10.8.0.0/28" },
  firewallPrefix: "wa-dev",
};

describe("Network", () => {
  it("GIVEN connector egress WHEN synthesized THEN a custom-mode VPC, subnet, PSA range + peering and a connector exist", () => {
    const out = synthConstructs((s) => new Network(s, "network", props));
    expect(out.has("google_compute_network", { name: "wa-dev-vpc", auto_create_subnetworks: false })).toBe(true);
    expect(out.has("google_compute_subnetwork", { ip_cidr_range: "10.10.0.0/24", private_ip_google_access: true })).toBe(true);
    expect(out.has("google_compute_global_address", { purpose: "VPC_PEERING", address: "10.20.0.0", prefix_length: 16 })).toBe(true);
    expect(out.has("google_vpc_access_connector", { name: "wa-dev-conn", ip_cidr_range: "10.8.0.0/28" })).toBe(true);
    expect(out.resources("google_compute_firewall")).toHaveLength(2);
  });

  it("keeps the peering's default deletion (not ABANDON, which leaves the peering blocking the VPC)", () => {
    const [connection] = synthConstructs((s) => new Network(s, "network", props)).resources("google_service_networking_connection");
    expect(connection?.deletion_policy).toBeUndefined();
    expect(connection?.service).toBe("servicenetworking.googleapis.com");
  });

  it("declares dependsOn the VPC on every dependent, so destroy removes them before the network", () => {
    const out = synthConstructs((s) => new Network(s, "network", props));
    for (const type of ["google_compute_subnetwork", "google_compute_global_address", "google_service_networking_connection", "google_vpc_access_connector", "google_compute_firewall"]) {
      for (const r of out.resources(type)) expect((r.depends_on as string[]).some((d) => d.startsWith("google_compute_network."))).toBe(true);
    }
    const [connector] = out.resources("google_vpc_access_connector");
    expect(((connector?.depends_on ?? []) as string[]).some((d) => d.startsWith("google_compute_subnetwork."))).toBe(true);
  });

  it("GIVEN Direct VPC egress THEN no connector is created", () => {
    const out = synthConstructs((s) => new Network(s, "network", { ...props, egress: "direct", connector: undefined }));
    expect(out.resources("google_vpc_access_connector")).toHaveLength(0);
  });

  it("reports every invalid prop together", () => {
    expect(() => synthConstructs((s) => new Network(s, "network", { ...props, privateServiceRange: "10.20.0.0/28", connector: { name: "x", cidr: "10.8.0.0/24" } }))).toThrow(
      /privateServiceRange[\s\S]*needs a \/28/,
    );
  });
});
