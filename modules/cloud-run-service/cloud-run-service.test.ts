import { describe, expect, it } from "vitest";
import { synthConstructs } from "../core/synth-json.js";
import { CloudRunService, type CloudRunServiceProps } from "./index.js";

const base: CloudRunServiceProps = { name: "webhook", region: "southamerica-east1", image: "img:1", serviceAccountEmail: "webhook@p.iam.gserviceaccount.com" };

describe("CloudRunService", () => {
  it("wires literals as value and secrets as secret_key_ref with the pinned version", () => {
    const out = synthConstructs(
      (s) =>
        new CloudRunService(s, "svc", {
          ...base,
          env: [
            { name: "LOG_LEVEL", value: "info" },
            { name: "WHATSAPP_ACCESS_TOKEN", secret: { secret: "WHATSAPP_ACCESS_TOKEN", version: "3" } },
          ],
        }),
    );
    expect(
      out.has("google_cloud_run_v2_service", {
        template: { containers: [{ env: [{ name: "LOG_LEVEL", value: "info" }, { name: "WHATSAPP_ACCESS_TOKEN", value_source: { secret_key_ref: { secret: "WHATSAPP_ACCESS_TOKEN", version: "3" } } }] }] },
      }),
    ).toBe(true);
  });

  it("ignores changes to the image and client fields (opsctl deploy owns revisions)", () => {
    const out = synthConstructs((s) => new CloudRunService(s, "svc", base));
    expect(out.has("google_cloud_run_v2_service", { lifecycle: { ignore_changes: ["template[0].containers[0].image", "client", "client_version"] } })).toBe(true);
  });

  it("sets scaling, concurrency, ingress, probes, VPC egress, its own service account and deletion protection", () => {
    const out = synthConstructs(
      (s) =>
        new CloudRunService(s, "svc", {
          ...base,
          minInstances: 1,
          maxInstances: 4,
          concurrency: 20,
          ingress: "all",
          ingressReason: "Meta calls it",
          public: true,
          livenessProbe: { path: "/live" },
          vpcEgress: { connector: "projects/p/locations/r/connectors/c" },
        }),
    );
    expect(
      out.has("google_cloud_run_v2_service", {
        ingress: "INGRESS_TRAFFIC_ALL",
        deletion_protection: true,
        template: {
          service_account: "webhook@p.iam.gserviceaccount.com",
          scaling: { min_instance_count: 1, max_instance_count: 4 },
          max_instance_request_concurrency: 20,
          vpc_access: { connector: "projects/p/locations/r/connectors/c", egress: "PRIVATE_RANGES_ONLY" },
          containers: [{ startup_probe: { http_get: { path: "/healthz" } }, liveness_probe: { http_get: { path: "/live" } } }],
        },
      }),
    ).toBe(true);
    expect(out.has("google_cloud_run_v2_service_iam_member", { role: "roles/run.invoker", member: "allUsers" })).toBe(true);
  });

  it("refuses reserved names and secret-looking literals even without config validation", () => {
    expect(() => synthConstructs((s) => new CloudRunService(s, "svc", { ...base, env: [{ name: "PORT", value: "8080" }, { name: "API_TOKEN", value: "abc" }] }))).toThrow(/"PORT" is reserved[\s\S]*API_TOKEN/);
  });
});
