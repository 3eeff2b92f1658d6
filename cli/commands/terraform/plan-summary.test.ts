import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { planSummaryJsonSchema, planSummarySchema } from "./plan-summary.js";

const SCHEMA_FILE = new URL("./plan-summary.schema.json", import.meta.url);

describe("plan summary JSON Schema", () => {
  it("GIVEN the zod definition WHEN it is converted THEN it equals the checked-in plan-summary.schema.json", () => {
    const generated = `${JSON.stringify(planSummaryJsonSchema(), null, 2)}\n`;
    // Regenerate after changing plan-summary.ts: UPDATE_SCHEMAS=1 npx vitest run cli/commands/terraform/plan-summary.test.ts
    if (process.env.UPDATE_SCHEMAS === "1") writeFileSync(SCHEMA_FILE, generated);
    expect(readFileSync(SCHEMA_FILE, "utf8"), "plan-summary.schema.json is stale: regenerate it (see the comment above)").toBe(generated);
  });

  it("GIVEN the checked-in schema WHEN a document misses a field or has an unknown status THEN it is rejected", () => {
    const validator = z.fromJSONSchema(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));
    const good = {
      schemaVersion: 1,
      operation: "plan",
      environment: "dev",
      dryRun: true,
      terraform: { binary: "terraform", version: "1.11.4" },
      orderSource: "manifest",
      order: ["network"],
      stacks: [{ name: "network", workingDirectory: "cdktf.out/stacks/network", status: "changes-pending", add: 1, change: 0, destroy: 0, replace: 0, resources: [{ address: "terraform_data.vpc", actions: ["create"] }], planFile: "opsctl.tfplan" }],
      totals: { add: 1, change: 0, destroy: 0 },
      changesPending: true,
    };
    expect(validator.safeParse(good).success).toBe(true);
    expect(planSummarySchema.safeParse(good).success).toBe(true);
    const { totals: _omitted, ...missing } = good;
    expect(validator.safeParse(missing).success).toBe(false);
    expect(validator.safeParse({ ...good, stacks: [{ ...good.stacks[0], status: "maybe" }] }).success).toBe(false);
    expect(validator.safeParse({ ...good, stacks: [{ ...good.stacks[0], add: -1 }] }).success).toBe(false);
  });
});
