import { describe, expect, it } from "vitest";
import { isInUse, isNotFound, isTransient } from "./network-api.js";

const httpError = (status: number, message: string, body: unknown = {}) => Object.assign(new Error(message), { status, body });

describe("error classification of the REST calls", () => {
  it("GIVEN Compute's and Service Networking's 'in use' answers THEN they are retried as in use", () => {
    expect(isInUse(httpError(400, "DELETE … → HTTP 400: The network resource 'projects/p/global/networks/vpc' is already being used by 'projects/p/global/firewalls/aet-x'"))).toBe(true);
    expect(isInUse(httpError(400, "x", { error: { errors: [{ reason: "resourceInUseByAnotherResource" }] } }))).toBe(true);
    expect(isInUse(httpError(400, "Failed to delete connection; Producer services (e.g. CloudSQL, Cloud Memstore, etc.) are still using this connection."))).toBe(true);
    expect(isInUse(httpError(400, "The resource 'projects/p/global/networks/vpc' is not ready", { error: { errors: [{ reason: "resourceNotReady" }] } }))).toBe(true);
  });

  it("GIVEN other failures THEN they are not 'in use'", () => {
    expect(isInUse(httpError(400, "Invalid value for field 'resource.name'"))).toBe(false);
    expect(isInUse(httpError(403, "already being used by"))).toBe(false);
    expect(isInUse(new Error("fetch failed"))).toBe(false);
  });

  it("GIVEN 429/5xx THEN transient; 404 THEN gone", () => {
    expect([429, 500, 502, 503, 504].every((s) => isTransient(httpError(s, "x")))).toBe(true);
    expect(isTransient(httpError(400, "x"))).toBe(false);
    expect(isNotFound(httpError(404, "x"))).toBe(true);
    expect(isNotFound(new Error("x"))).toBe(false);
  });
});
