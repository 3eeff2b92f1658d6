import { describe, expect, it } from "vitest";
import { LIMITS, namesFor, physicalName } from "./naming.js";

describe("naming", () => {
  it("keeps names within GCP limits with a stable hash when truncating", () => {
    const long = physicalName(["wa-dev", "a-very-long-connector-name-indeed"], LIMITS.connector);
    expect(long.length).toBeLessThanOrEqual(25);
    expect(long).toBe(physicalName(["wa-dev", "a-very-long-connector-name-indeed"], LIMITS.connector));
    expect(long).toMatch(/^[a-z][-a-z0-9]*[a-z0-9]$/);
  });

  it("lowercases and replaces characters the API refuses", () => {
    expect(physicalName(["WA_Dev", "Redis"], LIMITS.compute)).toBe("wa-dev-redis");
  });

  it("gives an environment's resources their names", () => {
    const n = namesFor({ namePrefix: "wa-dev", project: { id: "wa-bot-dev" } });
    expect(n.network).toBe("wa-dev-vpc");
    expect(n.bucket("media")).toBe("wa-bot-dev-media");
    expect(n.serviceAccount("job-idempotency-check").length).toBeLessThanOrEqual(30);
  });
});
