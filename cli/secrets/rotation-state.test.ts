import { describe, expect, it } from "vitest";
import { currentVersion, pendingRotation, previousVersion, withoutPending } from "./rotation-state.js";
import type { SecretInfo, VersionInfo } from "./secret-store.js";

const secret = (over: Partial<SecretInfo> = {}): SecretInfo => ({ id: "S", name: "projects/p/secrets/S", labels: {}, annotations: {}, aliases: {}, etag: "", versionDestroyTtlSeconds: 0, ...over });
const v = (number: number, state: VersionInfo["state"] = "ENABLED"): VersionInfo => ({ number, state, createTime: new Date(), scheduledDestroyTime: undefined, etag: "" });

describe("rotation state on the secret", () => {
  it("GIVEN no alias THEN current is the newest enabled version", () => {
    expect(currentVersion(secret(), [v(3, "DISABLED"), v(2), v(1)])?.number).toBe(2);
  });

  it("GIVEN a crash while creating THEN a version above the baseline is not current", () => {
    const s = secret({ annotations: { "opsctl.rotation-step": "creating", "opsctl.rotation-baseline": "2" } });
    expect(currentVersion(s, [v(3), v(2), v(1)])?.number).toBe(2);
    expect(pendingRotation(s)).toMatchObject({ step: "creating", baseline: 2, version: undefined });
  });

  it("GIVEN the current alias THEN it wins over newer versions, and previous skips destroyed versions", () => {
    const s = secret({ aliases: { current: 2 } });
    const versions = [v(3), v(2), v(1, "DESTROYED")];
    const current = currentVersion(s, versions);
    expect(current?.number).toBe(2);
    expect(current && previousVersion(s, versions, current)).toBeUndefined();
  });

  it("GIVEN unrelated annotations THEN clearing the pending rotation keeps them", () => {
    expect(withoutPending({ "opsctl.rotation-step": "set", "opsctl.rotation-version": "4", team: "bots" })).toEqual({ team: "bots" });
  });
});
