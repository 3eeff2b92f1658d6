/**
 * Every rule: one non-compliant and one compliant case, on hand-written synthesized JSON (the
 * shape cdktf writes: resource.<type>.<name> with `//` metadata).
 */
import { describe, expect, it } from "vitest";
import { RULES } from "../pack.js";
import { evaluate } from "../run-rules.js";
import { type SynthOutput, stackView } from "../synth-output.js";
import type { Finding } from "../types.js";

/** a Terraform interpolation, "${expr}", as cdktf writes references */
const tf = (expr: string) => `${"$"}{${expr}}`;

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function output(stacks: { name: string; stage?: string; resources: Resources; dependencies?: string[]; outputs?: Record<string, unknown> }[]): SynthOutput {
  return {
    dir: "mem",
    stacks: stacks.map((s) => stackView(s.name, `${s.name}.json`, { "//": { opsctl: { stage: s.stage ?? "dev" } }, resource: s.resources, output: s.outputs ?? {} }, s.dependencies ?? [])),
  };
}

const one = (resources: Resources, stage = "dev") => output([{ name: "data", stage, resources }]);
const findingsOf = (rule: string, out: SynthOutput): Finding[] => evaluate(out).filter((f) => f.rule === rule);

const SUB_OK = { topic: tf("google_pubsub_topic.src.id"), dead_letter_policy: { dead_letter_topic: tf("google_pubsub_topic.dlq.id"), max_delivery_attempts: 5 } };
const DLQ_SUB = { topic: tf("google_pubsub_topic.dlq.id") };

const cases: Record<string, { bad: SynthOutput; good: SynthOutput; message?: RegExp }> = {
  "label-keys": {
    bad: one({ google_storage_bucket: { b: { labels: { Project: "x", project: "y" }, public_access_prevention: "enforced", uniform_bucket_level_access: true } } }),
    good: one({ google_storage_bucket: { b: { labels: { project: "x" }, public_access_prevention: "enforced", uniform_bucket_level_access: true } } }),
    message: /"project" duplicates "Project"/,
  },
  "bucket-public-access": {
    bad: one({ google_storage_bucket: { b: { public_access_prevention: "inherited", uniform_bucket_level_access: true } }, google_storage_bucket_iam_member: { m: { role: "roles/storage.objectViewer", member: "allUsers" } } }),
    good: one({ google_storage_bucket: { b: { public_access_prevention: "enforced", uniform_bucket_level_access: true } } }),
    message: /not "enforced"|allUsers/,
  },
  "redis-auth-tls": {
    bad: one({ google_redis_instance: { r: { auth_enabled: false, transit_encryption_mode: "DISABLED" } } }, "prod"),
    good: one({ google_redis_instance: { r: { auth_enabled: true, transit_encryption_mode: "SERVER_AUTHENTICATION" } } }, "prod"),
  },
  "subscription-dead-letter": {
    bad: one({ google_pubsub_topic: { src: { name: "src" } }, google_pubsub_subscription: { s: { name: "s", topic: tf("google_pubsub_topic.src.id") } } }),
    good: one({ google_pubsub_topic: { src: { name: "src" }, dlq: { name: "dlq" } }, google_pubsub_subscription: { s: SUB_OK, d: DLQ_SUB } }),
  },
  "dlq-topic-subscription": {
    bad: one({ google_pubsub_topic: { src: { name: "src" }, dlq: { name: "dlq" } }, google_pubsub_subscription: { s: SUB_OK } }),
    good: one({ google_pubsub_topic: { src: { name: "src" }, dlq: { name: "dlq" } }, google_pubsub_subscription: { s: SUB_OK, d: DLQ_SUB } }),
    message: /"dlq" has no subscription/,
  },
  "firestore-delete-protection": {
    bad: one({ google_firestore_database: { d: { delete_protection_state: "DELETE_PROTECTION_DISABLED" } } }, "prod"),
    good: one({ google_firestore_database: { d: { delete_protection_state: "DELETE_PROTECTION_ENABLED" } } }, "prod"),
  },
  "env-literal-secret": {
    bad: one({ google_cloud_run_v2_service: { s: { ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY", template: { containers: [{ env: [{ name: "WHATSAPP_ACCESS_TOKEN", value: "EAAB1234567890abcdefghijklmnopqrstuv" }] }] } } } }),
    good: one({ google_cloud_run_v2_service: { s: { ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY", template: { containers: [{ env: [{ name: "WHATSAPP_ACCESS_TOKEN", value_source: { secret_key_ref: { secret: "T", version: "latest" } } }, { name: "LOG_LEVEL", value: "info" }] }] } } } }),
  },
  "env-reserved-name": {
    bad: one({ google_cloud_run_v2_job: { j: { template: { template: { containers: [{ env: [{ name: "CLOUD_RUN_TASK_INDEX", value: "1" }] }] } } } } }),
    good: one({ google_cloud_run_v2_job: { j: { template: { template: { containers: [{ env: [{ name: "SHARD", value: "1" }] }] } } } } }),
    message: /CLOUD_RUN_/,
  },
  "secret-version-in-state": {
    bad: one({ google_secret_manager_secret_version: { v: { secret: "s", secret_data: "x" } } }),
    good: one({ google_secret_manager_secret: { s: { secret_id: "s" } } }),
  },
  "ingress-all-reason": {
    bad: one({ google_cloud_run_v2_service: { s: { name: "webhook", ingress: "INGRESS_TRAFFIC_ALL" } } }),
    good: one({ google_cloud_run_v2_service: { s: { "//": { opsctl: { ingressReason: "Meta delivers webhooks" } }, name: "webhook", ingress: "INGRESS_TRAFFIC_ALL" } } }),
  },
  "stack-dependency-cycle": {
    bad: output([
      { name: "data", resources: {}, dependencies: ["services"] },
      { name: "network", resources: {}, dependencies: [] },
      { name: "services", resources: {}, dependencies: ["data"] },
    ]),
    good: output([
      { name: "data", resources: {}, dependencies: ["network"] },
      { name: "network", resources: {}, dependencies: [] },
      { name: "services", resources: {}, dependencies: ["data", "network"] },
    ]),
    message: /cycle: data → services → data/,
  },
};

describe("policy rules", () => {
  it("every rule in the pack has a case here, and its id is its file name", () => {
    expect(RULES.map((r) => r.info.id).sort()).toEqual(Object.keys(cases).sort());
  });

  for (const [id, c] of Object.entries(cases)) {
    describe(id, () => {
      it("GIVEN a non-compliant resource THEN it reports an error finding", () => {
        const found = findingsOf(id, c.bad);
        expect(found.length).toBeGreaterThan(0);
        expect(found[0]?.level).toBe("error");
        if (c.message) expect(found.map((f) => f.message).join("\n")).toMatch(c.message);
      });
      it("GIVEN a compliant resource THEN it reports nothing", () => {
        expect(findingsOf(id, c.good)).toEqual([]);
      });
    });
  }

  it("redis-auth-tls is a warning outside prod", () => {
    const [finding] = findingsOf("redis-auth-tls", one({ google_redis_instance: { r: { auth_enabled: false, transit_encryption_mode: "SERVER_AUTHENTICATION" } } }, "dev"));
    expect(finding?.level).toBe("warning");
  });

  it("firestore-delete-protection does not apply outside prod", () => {
    expect(findingsOf("firestore-delete-protection", one({ google_firestore_database: { d: { delete_protection_state: "DELETE_PROTECTION_DISABLED" } } }, "dev"))).toEqual([]);
  });

  it("follows a dead-letter topic across stacks through terraform_remote_state outputs", () => {
    const out = output([
      { name: "data", resources: { google_pubsub_topic: { src: { name: "src" }, dlq: { name: "dlq" } } }, outputs: { "x-dlq-id": { value: tf("google_pubsub_topic.dlq.id") } } },
      { name: "services", resources: { google_pubsub_subscription: { push: { topic: "projects/p/topics/src", dead_letter_policy: { dead_letter_topic: tf("data.terraform_remote_state.cross-stack-reference-input-data.outputs.x-dlq-id") } } } }, dependencies: ["data"] },
    ]);
    expect(findingsOf("dlq-topic-subscription", out).map((f) => f.address)).toEqual(["google_pubsub_topic.dlq"]);
  });

  it("a suppression with a reason silences the rule; one without a reason is ignored and said so", () => {
    const service = (reason: string) => ({ google_cloud_run_v2_service: { s: { "//": { opsctl: { suppressions: [{ id: "ingress-all-reason", reason }] } }, ingress: "INGRESS_TRAFFIC_ALL" } } });
    const [suppressed] = findingsOf("ingress-all-reason", one(service("public health endpoint for the uptime checker")));
    expect(suppressed?.suppressed).toMatch(/uptime checker/);
    const [ignored] = findingsOf("ingress-all-reason", one(service("")));
    expect(ignored?.suppressed).toBeUndefined();
    expect(ignored?.message).toMatch(/without a reason/);
  });
});
