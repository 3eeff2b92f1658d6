import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { checkServiceHealth, type HealthReport } from "../../cloud-run/health-check.js";
import { requireService, serviceFullName, serviceId } from "../../cloud-run/names.js";
import { idTokenAuth } from "../../cloud-run/probe.js";
import { createRunApi } from "../../cloud-run/run-api.js";
import { renderHealth } from "./render.js";

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<{ healthy: boolean; services: HealthReport[] }>> {
  const config = await ctx.loadConfig();
  const only = stringOption(options, "service");
  const keys = only ? [requireService(config, only)] : Object.keys(config.services);
  const project = ctx.projectId(config);
  const region = ctx.region(config);
  const api = await createRunApi();
  try {
    const services: HealthReport[] = [];
    for (const key of keys) {
      const svc = config.services[key];
      if (!svc) continue;
      services.push(await checkServiceHealth(api, key, serviceFullName(project, region, serviceId(config, key)), svc, idTokenAuth(svc.public), ctx.signal));
    }
    // The human table shows warnings inline; under --json they also go to the log on stderr.
    if (ctx.global.json) for (const s of services) for (const w of s.warnings) ctx.log.warn(`${s.service}: ${w}`);
    const healthy = services.every((s) => s.healthy);
    return { data: { healthy, services }, human: renderHealth(services), exitCode: healthy ? 0 : 1 };
  } finally {
    await api.close();
  }
}
