import { describe, expect, it } from "vitest";
import { synthConstructs } from "../core/synth-json.js";
import { Bucket } from "./index.js";

describe("Bucket", () => {
  it("is private: uniform access, public access prevention enforced; age-based deletion and soft delete", () => {
    const out = synthConstructs((s) => new Bucket(s, "media", { name: "wa-bot-dev-media", location: "southamerica-east1", retentionDays: 90 }));
    expect(out.has("google_storage_bucket", { name: "wa-bot-dev-media", uniform_bucket_level_access: true, public_access_prevention: "enforced", force_destroy: false, versioning: { enabled: false } })).toBe(true);
    expect(out.has("google_storage_bucket", { lifecycle_rule: [{ action: { type: "Delete" }, condition: { age: 90 } }] })).toBe(true);
    expect(out.has("google_storage_bucket", { soft_delete_policy: { retention_duration_seconds: 7 * 86_400 } })).toBe(true);
  });

  it("sets CORS and versioning from props", () => {
    const out = synthConstructs((s) => new Bucket(s, "exports", { name: "wa-bot-dev-exports", location: "us", versioning: true, cors: [{ origins: ["https://app.example"], methods: ["GET"] }] }));
    expect(out.has("google_storage_bucket", { versioning: { enabled: true }, cors: [{ origin: ["https://app.example"], method: ["GET"] }] })).toBe(true);
  });

  it("refuses an invalid name", () => {
    expect(() => synthConstructs((s) => new Bucket(s, "b", { name: "Bad_Name!", location: "us" }))).toThrow(/bucket name/);
  });
});
