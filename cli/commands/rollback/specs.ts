import type { CommandSpec } from "../../core/command.js";

export const rollbackSpecs: CommandSpec[] = [
  {
    path: ["rollback"],
    summary: "route 100% of a service to the last healthy revision, verified by health",
    description:
      "Target: --to REVISION, or the revision that served 100% before the last successful deploy (from the deploy history), else the newest older Ready revision. Refuses a revision that is not Ready (exit 4). Routes 100% to it by name, then runs the health checks (exit 1 when unhealthy). Idempotent: rolling back twice changes nothing the second time.",
    options: [
      { flags: "--service <name>", description: "service (config key, e.g. webhook)" },
      { flags: "--to <revision>", description: "revision id to route 100% to" },
    ],
    mutates: true,
    load: () => import("./rollback.js"),
  },
];
