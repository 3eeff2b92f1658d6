import { describe, expect, it } from "vitest";
import { envDrift } from "./env-drift.js";
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
