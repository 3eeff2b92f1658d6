import { describe, expect, it } from "vitest";
import { synthConstructs } from "../core/synth-json.js";
import { Firestore } from "./index.js";

describe("Firestore", () => {
  it("creates a native database with delete protection, PITR, composite indexes and TTL policies", () => {
    const out = synthConstructs(
      (s) =>
        new Firestore(s, "fs", {
          location: "southamerica-east1",
          pointInTimeRecovery: true,
          indexes: [{ collection: "messages", fields: [{ path: "conversationId", order: "ASCENDING" }, { path: "createdAt", order: "DESCENDING" }] }],
          ttl: [{ collection: "audit_logs", field: "expireAt" }],
        }),
    );
    expect(out.has("google_firestore_database", { type: "FIRESTORE_NATIVE", delete_protection_state: "DELETE_PROTECTION_ENABLED", point_in_time_recovery_enablement: "POINT_IN_TIME_RECOVERY_ENABLED", deletion_policy: "ABANDON" })).toBe(true);
    expect(out.has("google_firestore_index", { collection: "messages", fields: [{ field_path: "conversationId", order: "ASCENDING" }, { field_path: "createdAt", order: "DESCENDING" }] })).toBe(true);
    expect(out.has("google_firestore_field", { collection: "audit_logs", field: "expireAt", ttl_config: {} })).toBe(true);
  });

  it("refuses a composite index with one field", () => {
    expect(() => synthConstructs((s) => new Firestore(s, "fs", { location: "nam5", indexes: [{ collection: "m", fields: [{ path: "a" }] }] }))).toThrow(/at least two fields/);
  });
});
