import { describe, expect, it } from "vitest";
import { synthConstructs } from "../core/synth-json.js";
import { CloudRunJob } from "./index.js";

describe("CloudRunJob", () => {
  it("runs opsctl inside the VPC with task count, parallelism, args and env", () => {
    const out = synthConstructs(
      (s) =>
        new CloudRunJob(s, "job", {
          name: "idempotency-check",
          region: "r",
          image: "opsctl:1",
          args: ["idempotency", "check"],
          serviceAccountEmail: "job@p.iam.gserviceaccount.com",
          taskCount: 4,
          parallelism: 2,
          vpcEgress: { network: "n", subnetwork: "s" },
          env: [{ name: "REDIS_PASSWORD", secret: { secret: "REDIS_PASSWORD", version: "latest" } }],
        }),
    );
    expect(
      out.has("google_cloud_run_v2_job", {
        name: "idempotency-check",
        template: {
          task_count: 4,
          parallelism: 2,
          template: {
            service_account: "job@p.iam.gserviceaccount.com",
            vpc_access: { network_interfaces: [{ network: "n", subnetwork: "s" }] },
            containers: [{ args: ["idempotency", "check"], env: [{ name: "REDIS_PASSWORD", value_source: { secret_key_ref: { secret: "REDIS_PASSWORD" } } }] }],
          },
        },
      }),
    ).toBe(true);
  });

  it("refuses CLOUD_RUN_* names, reserved for jobs", () => {
    expect(() => synthConstructs((s) => new CloudRunJob(s, "job", { name: "j", region: "r", image: "i", serviceAccountEmail: "e", env: [{ name: "CLOUD_RUN_TASK_INDEX", value: "0" }] }))).toThrow(/CLOUD_RUN_/);
  });
});
