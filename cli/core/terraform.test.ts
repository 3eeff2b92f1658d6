import { describe, expect, it } from "vitest";
import { parseLockError, resolveTerraformBin, stateEntries } from "./terraform.js";

describe("parseLockError", () => {
  it("GIVEN terraform's lock error THEN the holder, operation and ID are read", () => {
    const stderr = `Error: Error acquiring the state lock

Error message: resource temporarily unavailable
Lock Info:
  ID:        1111-2222
  Path:      terraform.network.tfstate
  Operation: OperationTypeApply
  Who:       alice@ci-runner
  Version:   1.11.4
  Created:   2026-11-22 04:00:00 +0000 UTC
  Info:
`;
    expect(parseLockError(stderr)).toEqual({ id: "1111-2222", who: "alice@ci-runner", operation: "OperationTypeApply", created: "2026-11-22 04:00:00 +0000 UTC" });
  });

  it("GIVEN another failure THEN it is not a lock error", () => {
    expect(parseLockError("Error: Invalid target address")).toBeUndefined();
  });
});

describe("stateEntries", () => {
  it("GIVEN modules, counts and for_each THEN addresses are the ones `terraform state list` prints; data sources are skipped", () => {
    const entries = stateEntries({
      version: 4,
      serial: 1,
      lineage: "l",
      resources: [
        { mode: "managed", type: "google_compute_network", name: "vpc", instances: [{ attributes: { name: "n" } }] },
        { module: "module.net", mode: "managed", type: "google_compute_subnetwork", name: "s", instances: [{ index_key: 0 }, { index_key: 1 }] },
        { mode: "managed", type: "google_compute_firewall", name: "fw", instances: [{ index_key: "ssh" }] },
        { mode: "data", type: "google_project", name: "p", instances: [{}] },
      ],
    });
    expect(entries.map((e) => e.address)).toEqual(["google_compute_network.vpc", "module.net.google_compute_subnetwork.s[0]", "module.net.google_compute_subnetwork.s[1]", 'google_compute_firewall.fw["ssh"]']);
  });
});

describe("resolveTerraformBin", () => {
  it("GIVEN a missing explicit binary THEN a usage error names the flag", () => {
    expect(() => resolveTerraformBin("/nonexistent/terraform", { PATH: "" })).toThrow(/not found or not executable/);
  });

  it("GIVEN nothing on PATH THEN a usage error says so", () => {
    expect(() => resolveTerraformBin(undefined, { PATH: "" })).toThrow(/neither terraform nor tofu/);
  });
});
