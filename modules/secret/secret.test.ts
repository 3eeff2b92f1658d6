import { describe, expect, it } from "vitest";
import { synthConstructs } from "../core/synth-json.js";
import { Secret } from "./index.js";

describe("Secret", () => {
  it("creates the secret with rotation, notification topic and version_destroy_ttl, and never a version", () => {
    const out = synthConstructs((s) => new Secret(s, "token", { secretId: "WHATSAPP_ACCESS_TOKEN", rotationDays: 55, rotationTopic: "projects/p/topics/rot", accessors: ["serviceAccount:worker@p.iam.gserviceaccount.com"] }));
    expect(out.has("google_secret_manager_secret", { secret_id: "WHATSAPP_ACCESS_TOKEN", rotation: { rotation_period: `${55 * 86_400}s` }, topics: [{ name: "projects/p/topics/rot" }], version_destroy_ttl: `${7 * 86_400}s` })).toBe(true);
    expect(out.has("google_secret_manager_secret_iam_member", { role: "roles/secretmanager.secretAccessor", member: "serviceAccount:worker@p.iam.gserviceaccount.com" })).toBe(true);
    expect(out.resources("google_secret_manager_secret_version")).toHaveLength(0);
    expect(out.text).not.toMatch(/secret_data/);
  });

  it("keeps synth deterministic: the first rotation time is computed at plan time", () => {
    const [secret] = synthConstructs((s) => new Secret(s, "token", { secretId: "T", rotationDays: 1, rotationTopic: "t" })).resources("google_secret_manager_secret");
    expect(JSON.stringify(secret?.rotation)).toContain("plantimestamp()");
  });

  it("refuses rotation without a topic", () => {
    expect(() => synthConstructs((s) => new Secret(s, "token", { secretId: "T", rotationDays: 30 }))).toThrow(/rotationTopic/);
  });
});
