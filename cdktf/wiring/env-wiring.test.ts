import { describe, expect, it } from "vitest";
import type { EnvSource } from "../../config/schema.js";
import { contractProblems, findCycle, serviceUrlCycle, WiringError, wireEnv } from "./env-wiring.js";

/** a Terraform interpolation, "${expr}", as cdktf writes references */
const tf = (expr: string) => `${"$"}{${expr}}`;

const sources = new Map([
  ["redis.host", tf("redis.host")],
  ["project.id", "p"],
  ["bucket.media.name", tf("bucket.name")],
]);
const secrets = new Map([["WHATSAPP_ACCESS_TOKEN", tf("secret.id")]]);

describe("wireEnv", () => {
  it("turns from-sources into references, secrets into secret refs and keeps literals", () => {
    const wired = wireEnv(
      { kind: "service", name: "worker", env: { REDIS_HOST: { from: "redis.host" }, TOKEN: { secret: "WHATSAPP_ACCESS_TOKEN", version: "2" }, LOG_LEVEL: { value: "info" } }, requiredEnv: ["REDIS_HOST"] },
      sources,
      secrets,
    );
    expect(wired.env).toEqual([
      { name: "REDIS_HOST", value: tf("redis.host") },
      { name: "TOKEN", secret: { secret: tf("secret.id"), version: "2" } },
      { name: "LOG_LEVEL", value: "info" },
    ]);
    expect(wired.secrets).toEqual(["WHATSAPP_ACCESS_TOKEN"]);
    expect(wired.sources).toEqual(["redis.host"]);
  });

  it("reports every problem at once, with dot-paths and did-you-mean", () => {
    const env = {
      REDIS_HOST: { from: "redis.hostname" },
      CLOUD_RUN_TASK_INDEX: { value: "1" },
      TOKEN: { secret: "WHATSAPP_ACCES_TOKEN" },
      DB_PASSWORD: { value: "hunter2" },
      WEIRD: { form: "redis.host" },
    } as unknown as Record<string, EnvSource>;
    const problems = contractProblems({ kind: "job", name: "check", env, requiredEnv: ["BUCKET_NAME"] }, sources, secrets);
    expect(problems).toEqual([
      'jobs.check.env.REDIS_HOST: unknown source "redis.hostname"; did you mean "redis.host"?',
      'jobs.check.env.CLOUD_RUN_TASK_INDEX: "CLOUD_RUN_TASK_INDEX" starts with CLOUD_RUN_, reserved for Cloud Run jobs (task index/count)',
      'jobs.check.env.TOKEN: unknown secret "WHATSAPP_ACCES_TOKEN"; did you mean "WHATSAPP_ACCESS_TOKEN"?',
      'jobs.check.env.DB_PASSWORD: "DB_PASSWORD" looks like a secret by its name; use { secret: ... } instead of a literal',
      "jobs.check.env.WEIRD: expected one of { from: ... }, { secret: ... } or { value: ... }",
      'jobs.check.requiredEnv.0: "BUCKET_NAME" is required but not wired',
    ]);
    expect(() => wireEnv({ kind: "job", name: "check", env, requiredEnv: [] }, sources, secrets)).toThrow(WiringError);
  });

  it("finds a cycle of services reading each other's URL, with its path", () => {
    expect(serviceUrlCycle({ a: { env: { B_URL: { from: "service.b.url" } } }, b: { env: { A_URL: { from: "service.a.url" } } } })).toEqual(["a", "b", "a"]);
    expect(findCycle(new Map([["a", ["b"]], ["b", []]]))).toBeUndefined();
  });
});
