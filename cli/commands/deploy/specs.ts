import type { CommandSpec } from "../../core/command.js";

export const deploySpecs: CommandSpec[] = [
  {
    path: ["deploy"],
    summary: "health-gated canary of a new image with automatic rollback",
    description:
      "Creates a revision from --image at 0% under the candidate tag, waits until it is Ready, probes its tag URL, then moves traffic in --steps with a --bake between them while probing against the error-rate and p95 gates of services.<name>.deploy. Any failed gate restores exactly the previous split (exit 1, the reason in the output). Ctrl-C restores it too (exit 130). A concurrent change to the service stops the deploy without overwriting it (exit 4).\nEvery deploy is recorded in Firestore (audit collection); see `opsctl deploy history`.",
    options: [
      { flags: "--service <name>", description: "service to deploy (config key, e.g. webhook)" },
      { flags: "--image <image>", description: "container image of the new revision" },
      { flags: "--steps <list>", description: "traffic percentages, e.g. 10,50,100 (default: config deploy.steps)" },
      { flags: "--bake <duration>", description: "bake time between steps, e.g. 2m (default: config deploy.bake)" },
      { flags: "--ready-timeout <duration>", description: "how long the candidate may take to become Ready (default: config deploy.readyTimeout)" },
      { flags: "--tag <tag>", description: "traffic tag of the candidate (default: config deploy.candidateTag)" },
      { flags: "--probes-per-bake <n>", description: "probes of the candidate spread over each bake", default: "10" },
    ],
    mutates: true,
    load: () => import("./deploy.js"),
  },
  {
    path: ["deploy", "history"],
    summary: "recent deploys and rollbacks of a service (from Firestore)",
    options: [
      { flags: "--service <name>", description: "service (config key)" },
      { flags: "--limit <n>", description: "how many entries", default: "20" },
    ],
    load: () => import("./history.js"),
  },
];
