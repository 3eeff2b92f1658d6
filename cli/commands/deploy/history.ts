import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { remoteError, usageError } from "../../core/errors.js";
import { type DeployRecord, listDeploys } from "../../cloud-run/deploy-history.js";
import { requireService } from "../../cloud-run/names.js";
import { formatSplit } from "../../cloud-run/traffic-split.js";

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<{ service: string; entries: DeployRecord[] }>> {
  const config = await ctx.loadConfig();
  const key = requireService(config, stringOption(options, "service"));
  const limit = Number(stringOption(options, "limit") ?? "20");
  if (!Number.isInteger(limit) || limit < 1) throw usageError("--limit must be a positive integer");
  let entries: DeployRecord[];
  try {
    entries = await listDeploys(config, ctx.projectId(config), key, limit);
  } catch (err) {
    throw remoteError(`reading deploy history from Firestore ${config.audit.collection}`, err);
  }
  const human =
    entries.length === 0
      ? `no deploys recorded for ${key} in ${config.environment}`
      : entries.map((e) => `${e.at}  ${e.action.padEnd(8)}  ${e.outcome.padEnd(11)}  ${e.revision || "-"}  ${e.who}${e.image ? `  ${e.image}` : ""}\n    after: ${formatSplit(e.after)}${e.reason ? `\n    reason: ${e.reason}` : ""}`).join("\n");
  return { data: { service: key, entries }, human };
}
