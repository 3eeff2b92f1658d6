import type { CommandSpec } from "../../core/command.js";

export const doctorSpecs: CommandSpec[] = [
  {
    path: ["doctor"],
    summary: "check this machine: Node, config, credentials, endpoints, test servers",
    description: "Checks item by item whether this machine can run opsctl and its tests.\nExit 0 when every required item passes, 1 otherwise.",
    options: [{ flags: "--skip-config", description: "do not validate the selected environment" }],
    load: () => import("./doctor.js"),
  },
];
