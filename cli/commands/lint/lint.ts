import { resolve } from "node:path";
import type { CommandInput, CommandResult } from "../../core/command.js";
import { type PolicyReport, policyReport, reportResult } from "./report.js";

export async function run({ args }: CommandInput): Promise<CommandResult<PolicyReport>> {
  return reportResult(policyReport(resolve(args[0] ?? "cdktf.out")));
}
