import type { CommandSpec } from "../../core/command.js";

export const synthSpecs: CommandSpec[] = [
  {
    path: ["synth"],
    summary: "synthesize the environment's Terraform (network, data, services stacks) and run the policy rules",
    description:
      "Writes Terraform JSON for the network, data and services stacks of --env into cdktf.out/stacks/<stack>/cdk.tf.json,\nprints the stacks and their resources, then the policy findings (cdktf/validation/RULES.md).\nNeeds no Google credentials. Exit 0 ok, 1 a policy error, 2 bad config or wiring.\nApply order: network → data → services (README, runbooks/terraform-apply-order.md).",
    options: [{ flags: "--out <dir>", description: "output directory", default: "cdktf.out" }],
    load: () => import("./synth.js"),
  },
];
