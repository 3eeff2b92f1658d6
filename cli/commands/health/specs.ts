import type { CommandSpec } from "../../core/command.js";

export const healthSpecs: CommandSpec[] = [
  {
    path: ["health"],
    summary: "readiness, traffic, HTTP probes and env drift of Cloud Run services",
    description:
      "Checks each service (or --service): Ready and settled (observedGeneration == generation), traffic statuses match the spec, every revision serving traffic is Ready, HTTP probes of the service URL and tagged revision URLs (p50/p95), env vars vs the contract.\nExit 0 healthy, 1 unhealthy (the failing check is named), 3 API failure.",
    options: [{ flags: "--service <name>", description: "only this service (config key, e.g. webhook)" }],
    load: () => import("./health.js"),
  },
];
