/**
 * `opsctl state doctor`: per stack, the state entries whose object is gone (orphans), the objects
 * with our labels no state knows (leaks), and for each network everything that still uses it, with
 * the action that removes it. Read-only. Exit 1 when there is drift or a blocker no state manages.
 */
import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { remoteError } from "../../core/errors.js";
import { ExitCode } from "../../core/exit-codes.js";
import { connectNetworkApis, readInventory } from "./network-api.js";
import { buildDoctorReport, type DoctorReport, loadStacks, renderDoctorReport, selectStacks, timingFromOptions, VPC_RUNBOOK } from "./stack-session.js";

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<DoctorReport>> {
  const config = await ctx.loadConfig();
  const project = ctx.projectId(config);
  const region = ctx.region(config);
  const timing = timingFromOptions(options, ctx.signal);
  const { selected, present } = selectStacks(options);
  const all = await loadStacks(present, options);
  const apis = await connectNetworkApis();
  const inventory = await readInventory(apis, project, region, timing).catch((err: unknown) => {
    throw remoteError(`reading the networks of project ${project}`, err, { runbook: VPC_RUNBOOK });
  });
  const report = buildDoctorReport(
    all.filter((s) => selected.includes(s.stack)),
    all,
    inventory,
    config,
    stringOption(options, "network"),
  );
  return { data: report, human: renderDoctorReport(report, ctx.global.env), exitCode: report.problems > 0 ? ExitCode.findings : ExitCode.ok };
}
