/**
 * The result of `opsctl plan`, `apply` and `destroy`: one entry per stack, in the order the stacks
 * ran. Defined once with zod so that the TypeScript type, the `--json` output and the JSON Schema
 * checked into `plan-summary.schema.json` cannot drift apart (a unit test compares them).
 * Changing a field's meaning is a breaking change: bump SUMMARY_SCHEMA_VERSION.
 */
import { z } from "zod";

export const SUMMARY_SCHEMA_VERSION = 1;

const count = z.number().int().min(0);

export const resourceChangeSchema = z.strictObject({
  address: z.string().describe("Terraform resource address, e.g. terraform_data.vpc"),
  actions: z.array(z.string()).describe('Terraform plan actions: ["create"], ["update"], ["delete"], ["delete","create"] (replace) …'),
});

export const stackStatusSchema = z
  .enum(["unchanged", "changes-pending", "deferred", "applied", "destroyed", "failed", "skipped"])
  .describe(
    "unchanged: nothing to do · changes-pending: planned, not applied (plan, --dry-run) · deferred: its plan failed while a stack it depends on has changes pending (e.g. a new environment: data cannot read network outputs that do not exist yet); apply plans it after that stack is applied · applied / destroyed: done · failed: terraform failed here (later stacks are skipped) · skipped: not run because an earlier stack failed",
  );

export const stackSummarySchema = z.strictObject({
  name: z.string(),
  workingDirectory: z.string().describe("the stack's Terraform working directory"),
  status: stackStatusSchema,
  add: count.describe("resources to create (a replacement counts here and in destroy)"),
  change: count.describe("resources to update in place"),
  destroy: count.describe("resources to delete (a replacement counts here and in add)"),
  replace: count.describe("of which replacements (delete + create)"),
  planFile: z.string().optional().describe("the saved plan (terraform plan -out), relative to workingDirectory"),
  resources: z.array(resourceChangeSchema).describe("every resource with an action other than no-op/read"),
  error: z.string().optional().describe("terraform's error output (last lines), when status is failed"),
  blockers: z.array(z.string()).optional().describe("destroy only: error lines that match the known network-deletion blockers"),
});

export const planSummarySchema = z
  .strictObject({
    schemaVersion: z.literal(SUMMARY_SCHEMA_VERSION),
    operation: z.enum(["plan", "apply", "destroy"]),
    environment: z.string(),
    dryRun: z.boolean().describe("true when nothing was changed on purpose (plan, or --dry-run)"),
    terraform: z.strictObject({ binary: z.string(), version: z.string().optional() }),
    orderSource: z.enum(["manifest", "default-order"]).describe("where the stack order came from: the CDKTF manifest, or the default network → data → services"),
    order: z.array(z.string()).describe("the stacks in the order they ran (reverse dependency order for destroy)"),
    stacks: z.array(stackSummarySchema),
    totals: z.strictObject({ add: count, change: count, destroy: count }),
    changesPending: z.boolean().describe("some stack has planned changes that were not applied (or is deferred behind one that has)"),
  })
  .describe("opsctl plan / apply / destroy --json: the `result` field of the envelope");

export type ResourceChange = z.infer<typeof resourceChangeSchema>;
export type StackStatus = z.infer<typeof stackStatusSchema>;
export type StackSummary = z.infer<typeof stackSummarySchema>;
export type PlanSummary = z.infer<typeof planSummarySchema>;

export function planSummaryJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(planSummarySchema, { io: "output" }),
    title: "opsctl plan/apply/destroy summary",
    $id: "https://opsctl.dev/schemas/plan-summary.schema.json",
  };
}

export function totalsOf(stacks: readonly StackSummary[]): PlanSummary["totals"] {
  return stacks.reduce((t, s) => ({ add: t.add + s.add, change: t.change + s.change, destroy: t.destroy + s.destroy }), { add: 0, change: 0, destroy: 0 });
}
