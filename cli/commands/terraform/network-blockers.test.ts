import { describe, expect, it } from "vitest";
import { findNetworkBlockers } from "./network-blockers.js";

describe("findNetworkBlockers", () => {
  it("GIVEN terraform's wrapped diagnostic for a connector's aet-* firewall WHEN scanned THEN the unwrapped paragraph is returned", () => {
    const stderr = [
      "Error: Error waiting for Deleting Network: The network resource",
      "'projects/wa-prod/global/networks/wa-prod-vpc' is already being used by",
      "'projects/wa-prod/global/firewalls/aet-southamericaeast1-wa-prod-conn-1a2b'",
      "",
      "",
    ].join("\n");
    expect(findNetworkBlockers(stderr)).toEqual([
      "Error: Error waiting for Deleting Network: The network resource 'projects/wa-prod/global/networks/wa-prod-vpc' is already being used by 'projects/wa-prod/global/firewalls/aet-southamericaeast1-wa-prod-conn-1a2b'",
    ]);
  });

  it("GIVEN the service networking and 400 resourceInUse errors WHEN scanned THEN both are blockers", () => {
    const stderr = [
      "Error: Unable to remove Service Networking Connection, err: Error waiting for Delete Service Networking Connection: Error code 9,",
      "message: Failed to delete connection; Producer services (e.g. CloudSQL, Cloud Memstore, etc.) are still using this connection.",
      "",
      "Error: Error when reading or editing Subnetwork: googleapi: Error 400: The subnetwork resource 'projects/p/regions/r/subnetworks/s' is already being used by 'projects/p/regions/r/addresses/serverless-ipv4-1', resourceInUseByAnotherResource",
    ].join("\n");
    expect(findNetworkBlockers(stderr)).toHaveLength(2);
  });

  it("GIVEN an unrelated failure WHEN scanned THEN no blocker", () => {
    expect(findNetworkBlockers("Error: googleapi: Error 403: Permission denied on resource project wa-prod.\n")).toEqual([]);
  });
});
