import { describe, expect, it } from "vitest";
import { diffEnv, envDrift, isLocalAddress, type SecretVersions } from "./env-drift.js";
import type { RevisionView } from "./model.js";

const revision = (env: RevisionView["env"]): RevisionView => ({ name: "r", id: "r", ready: true, reconciling: false, readyDetail: "", failed: false, images: [], env, createTime: "" });

describe("env drift against the contract", () => {
  it("reports missing, mis-referenced, changed and unknown variables", () => {
    const problems = envDrift(
      { LOG_LEVEL: { value: "info" }, TOKEN: { secret: "WHATSAPP_ACCESS_TOKEN", version: "latest" }, REDIS_HOST: { from: "redis.host" }, PROJECT_ID: { from: "project.id" } },
      revision([
        { name: "LOG_LEVEL", value: "debug" },
        { name: "TOKEN", value: "literal" },
        { name: "REDIS_HOST", value: "10.0.0.3" },
        { name: "EXTRA", value: "1" },
      ]),
    );
    expect(problems).toEqual(['LOG_LEVEL is "debug", contract says "info"', "TOKEN should reference secret WHATSAPP_ACCESS_TOKEN, has a literal", "PROJECT_ID missing", "EXTRA is not in the contract"]);
  });

  it("is empty when the revision matches", () => {
    expect(envDrift({ TOKEN: { secret: "T", version: "3" } }, revision([{ name: "TOKEN", secret: "T", version: "3" }]))).toEqual([]);
  });
});

describe("diffEnv with live values and secret versions (env verify)", () => {
  const contract = {
    REDIS_HOST: { from: "redis.host" },
    BUCKET_NAME: { from: "bucket.media.name" },
    TOKEN: { secret: "WHATSAPP_ACCESS_TOKEN", version: "latest" },
    KEY: { secret: "RSA_PRIVATE_KEY", version: "2" },
    LOG_LEVEL: { value: "info" },
  };
  const resolved = new Map([
    ["redis.host", "10.20.0.3"],
    ["bucket.media.name", "p-media"],
  ]);
  const enabled = (n: number) => ({ number: n, state: "ENABLED" as const });

  it("is empty for a revision that matches the resolved contract", () => {
    const drift = diffEnv(
      contract,
      [
        { name: "REDIS_HOST", value: "10.20.0.3" },
        { name: "BUCKET_NAME", value: "p-media" },
        { name: "TOKEN", secret: "projects/p/secrets/WHATSAPP_ACCESS_TOKEN", version: "latest" },
        { name: "KEY", secret: "RSA_PRIVATE_KEY", version: "2" },
        { name: "LOG_LEVEL", value: "info" },
      ],
      { resolved, secrets: new Map([["WHATSAPP_ACCESS_TOKEN", { versions: [enabled(1), enabled(2)], aliases: {} }], ["RSA_PRIVATE_KEY", { versions: [enabled(2), enabled(3)], aliases: {} }]]) },
    );
    expect(drift).toEqual([]);
  });

  it("reports each kind with the var, what was expected and what is live", () => {
    const drift = diffEnv(
      contract,
      [
        { name: "REDIS_HOST", value: "localhost" },
        { name: "BUCKET_NAME", value: "other-bucket" },
        { name: "TOKEN", value: "EAAliteral" },
        { name: "KEY", secret: "RSA_PRIVATE_KEY", version: "2" },
        { name: "LOG_LEVEL", secret: "LOG_LEVEL_SECRET", version: "latest" },
        { name: "NOME_BUCKET_MIDIAS_MIA", value: "p-media" },
      ],
      { resolved, secrets: new Map([["RSA_PRIVATE_KEY", { versions: [{ number: 2, state: "DISABLED" as const }], aliases: {} }], ["LOG_LEVEL_SECRET", null]]) },
    );
    expect(drift.map((d) => [d.name, d.kind, d.expected, d.actual])).toEqual([
      ["REDIS_HOST", "local-address", "10.20.0.3", '"localhost"'],
      ["BUCKET_NAME", "wrong-value", '"p-media"', '"other-bucket"'],
      ["TOKEN", "literal-for-secret", "secret WHATSAPP_ACCESS_TOKEN:latest", "a literal"],
      ["LOG_LEVEL", "secret-for-literal", '"info"', "secret LOG_LEVEL_SECRET:latest"],
      ["NOME_BUCKET_MIDIAS_MIA", "unexpected", "(not in the contract)", '"p-media"'],
      ["KEY", "secret-version-disabled", "version ENABLED", "secret RSA_PRIVATE_KEY:2 DISABLED"],
      ["LOG_LEVEL", "secret-missing", "secret LOG_LEVEL_SECRET exists", "secret LOG_LEVEL_SECRET:latest"],
    ]);
  });

  it("flags a destroyed pinned version, an alias to a missing version and latest whose newest version is disabled", () => {
    const secrets = new Map<string, SecretVersions>([
      ["A", { versions: [{ number: 1, state: "DESTROYED" as const }, enabled(2)], aliases: {} }],
      ["B", { versions: [enabled(1)], aliases: { current: 7 } }],
      ["C", { versions: [enabled(1), { number: 2, state: "DISABLED" as const }], aliases: {} }],
      ["D", { versions: [], aliases: {} }],
    ]);
    const live = [
      { name: "A", secret: "A", version: "1" },
      { name: "B", secret: "B", version: "current" },
      { name: "C", secret: "C", version: "latest" },
      { name: "D", secret: "D", version: "latest" },
    ];
    const drift = diffEnv({ A: { secret: "A", version: "1" }, B: { secret: "B", version: "current" }, C: { secret: "C", version: "latest" }, D: { secret: "D", version: "latest" } }, live, { secrets });
    expect(drift.map((d) => [d.name, d.kind])).toEqual([
      ["A", "secret-version-destroyed"],
      ["B", "secret-version-missing"],
      ["C", "secret-latest-not-enabled"],
      ["D", "secret-latest-not-enabled"],
    ]);
  });

  it("checks from: values only when they were resolved, and a wrong secret or pinned version", () => {
    const drift = diffEnv(
      { PROJECT_ID: { from: "project.id" }, TOKEN: { secret: "T", version: "3" }, OTHER: { secret: "T", version: "latest" } },
      [
        { name: "PROJECT_ID", value: "anything" },
        { name: "TOKEN", secret: "T", version: "2" },
        { name: "OTHER", secret: "U", version: "latest" },
      ],
    );
    expect(drift.map((d) => d.kind)).toEqual(["wrong-secret-version", "wrong-secret"]);
  });

  it.each([
    ["localhost", true],
    ["127.0.0.1", true],
    ["redis://127.0.0.1:6379/0", true],
    ["http://localhost:8080/callback", true],
    ["0.0.0.0", true],
    ["10.0.0.3", false],
    ["my-localhost-proxy.internal", false],
    ["https://api.example.com", false],
  ])("isLocalAddress(%s) is %s", (value, expected) => {
    expect(isLocalAddress(value)).toBe(expected);
  });
});

describe("local addresses the live project itself resolves to", () => {
  it("are not drift when the source resolves to exactly that value (an emulator or fake)", () => {
    const resolved = new Map([["service.api.url", "http://127.0.0.1:8080"]]);
    expect(diffEnv({ API_URL: { from: "service.api.url" } }, [{ name: "API_URL", value: "http://127.0.0.1:8080" }], { resolved })).toEqual([]);
    expect(diffEnv({ API_URL: { from: "service.api.url" } }, [{ name: "API_URL", value: "http://localhost:9" }], { resolved }).map((d) => d.kind)).toEqual(["local-address"]);
  });
});
