import type { CommandSpec } from "../../core/command.js";

export const lintSpecs: CommandSpec[] = [
  {
    path: ["lint"],
    summary: "run the policy rules on synthesized Terraform JSON (for CI gates)",
    description: "Reads <dir>/stacks/*/cdk.tf.json (default cdktf.out) and runs the rules of cdktf/validation/RULES.md.\nExit 0 clean (warnings allowed), 1 a policy error, 2 no synthesized output.",
    arguments: [{ name: "[dir]", description: "directory cdktf wrote (default cdktf.out)" }],
    load: () => import("./lint.js"),
  },
];
