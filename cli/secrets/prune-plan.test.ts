import { describe, expect, it } from "vitest";
import { planPrune } from "./prune-plan.js";
import type { SecretInfo, VersionInfo } from "./secret-store.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const H = 3_600_000;
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * H);
const secret = (over: Partial<SecretInfo> = {}): SecretInfo => ({ id: "S", name: "projects/p/secrets/S", labels: {}, annotations: {}, aliases: {}, etag: "", versionDestroyTtlSeconds: 0, ...over });
const v = (number: number, hoursAgo: number, state: VersionInfo["state"] = "ENABLED", scheduled?: Date): VersionInfo => ({ number, state, createTime: at(hoursAgo), scheduledDestroyTime: scheduled, etag: "" });
const policy = { graceMs: 24 * H, retainVersions: 2 };

describe("planPrune", () => {
  it("GIVEN an older enabled version replaced less than the grace ago THEN it stays enabled", () => {
    expect(planPrune(secret(), [v(2, 23), v(1, 100)], policy, NOW)).toEqual([]);
  });

  it("GIVEN an older enabled version replaced exactly the grace ago THEN it is disabled", () => {
    expect(planPrune(secret(), [v(2, 24), v(1, 100)], policy, NOW)).toEqual([expect.objectContaining({ version: 1, action: "disable" })]);
  });

  it("GIVEN the previous alias with a disable-after in the future THEN it stays enabled even when its successor is old", () => {
    const s = secret({ aliases: { current: 2, previous: 1 }, annotations: { "opsctl.previous-disable-after": new Date(NOW.getTime() + H).toISOString() } });
    expect(planPrune(s, [v(2, 100), v(1, 200)], policy, NOW)).toEqual([]);
  });

  it("GIVEN the previous alias past its disable-after THEN it is disabled but never destroyed", () => {
    const s = secret({ aliases: { current: 4, previous: 3 }, annotations: { "opsctl.previous-disable-after": at(1).toISOString() } });
    const plan = planPrune(s, [v(4, 30), v(3, 60), v(2, 90, "DISABLED"), v(1, 120, "DISABLED")], { graceMs: 24 * H, retainVersions: 1 }, NOW);
    expect(plan.map((a) => `${a.action}:${a.version}`)).toEqual(["disable:3", "destroy:1"]);
  });

  it("GIVEN more disabled versions than retained THEN the oldest are destroyed, already scheduled ones are left alone", () => {
    const plan = planPrune(secret(), [v(5, 1), v(4, 50, "DISABLED"), v(3, 60, "DISABLED"), v(2, 70, "DISABLED"), v(1, 80, "DISABLED", new Date(NOW.getTime() + 48 * H))], policy, NOW);
    expect(plan.map((a) => `${a.action}:${a.version}`)).toEqual(["destroy:2"]);
  });

  it("GIVEN a pending rotation THEN neither the pending nor the current version is touched", () => {
    const s = secret({ aliases: { current: 1, pending: 2 }, annotations: { "opsctl.rotation-step": "created", "opsctl.rotation-version": "2" } });
    expect(planPrune(s, [v(2, 48), v(1, 100)], policy, NOW)).toEqual([]);
  });
});
