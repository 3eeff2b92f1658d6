import { describe, expect, it } from "vitest";
import { synthConstructs } from "../core/synth-json.js";
import { WorkloadIdentity } from "./index.js";

describe("WorkloadIdentity", () => {
  it("grants only what the contract implies: its secrets, datastore user, its topics and buckets", () => {
    const out = synthConstructs(
      (s) =>
        new WorkloadIdentity(s, "worker", {
          accountId: "wa-dev-worker",
          displayName: "worker",
          project: "p",
          projectRoles: ["roles/datastore.user"],
          secrets: { WHATSAPP_ACCESS_TOKEN: "projects/p/secrets/WHATSAPP_ACCESS_TOKEN" },
          publishTopics: { "audit-events": "audit-events" },
          pullSubscriptions: { "audit-pull": "audit-pull" },
          buckets: { media: "p-media" },
        }),
    );
    expect(out.has("google_service_account", { account_id: "wa-dev-worker" })).toBe(true);
    expect(out.resources("google_project_iam_member").map((m) => m.role)).toEqual(["roles/datastore.user"]);
    expect(out.has("google_secret_manager_secret_iam_member", { secret_id: "projects/p/secrets/WHATSAPP_ACCESS_TOKEN", role: "roles/secretmanager.secretAccessor" })).toBe(true);
    expect(out.has("google_pubsub_topic_iam_member", { topic: "audit-events", role: "roles/pubsub.publisher" })).toBe(true);
    expect(out.has("google_pubsub_subscription_iam_member", { subscription: "audit-pull", role: "roles/pubsub.subscriber" })).toBe(true);
    expect(out.has("google_storage_bucket_iam_member", { bucket: "p-media", role: "roles/storage.objectAdmin" })).toBe(true);
    expect(out.resources("google_service_account_iam_member")).toHaveLength(0);
  });
});
