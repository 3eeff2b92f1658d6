import type { CommandSpec, OptionSpec } from "../../core/command.js";

const common: OptionSpec[] = [
  { flags: "--stack <name>", description: "only this stack (default: every stack, in dependency order)" },
  { flags: "--synth-dir <dir>", description: "the synthesized stacks (manifest.json + stacks/<name>/)", default: "cdktf.out" },
  { flags: "--terraform-bin <path>", description: "terraform or tofu binary (default: OPSCTL_TERRAFORM_BIN, else terraform, else tofu on PATH)" },
  { flags: "--summary-md <file>", description: "append a Markdown summary to FILE (e.g. $GITHUB_STEP_SUMMARY)" },
];

export const terraformSpecs: CommandSpec[] = [
  {
    path: ["plan"],
    summary: "terraform init + plan every synthesized stack in dependency order; adds/changes/destroys per stack",
    // One paragraph per line: commander wraps each line to the terminal width.
    description: [
      "Runs `terraform init` and `terraform plan -out=opsctl.tfplan -detailed-exitcode` in each stack of the synthesized directory, in the order of its manifest.json (network → data → services), stops at the first failure, and prints adds / changes / destroys per stack (--json: the same as data, schema in plan-summary.schema.json).",
      "",
      "Later stacks are planned against the current state of earlier ones; a stack whose plan fails while a stack it depends on has changes pending is reported as deferred. `opsctl apply` re-plans each stack right after the one before it is applied.",
      "",
      "Exit codes: 0 planned (changes or not) · 1 changes pending, only with --fail-on-changes · 2 usage or config · 3 terraform failed · 4 the state is locked by another run.",
      "",
      "--fail-on-changes differs from terraform's -detailed-exitcode, where 1 means error and 2 means changes: with opsctl, 1 always means \"the check found something\" (here: changes pending) and an error is never 1.",
    ].join("\n"),
    options: [
      ...common,
      { flags: "--fail-on-changes", description: "exit 1 when any stack has changes pending (not terraform's -detailed-exitcode 2; errors stay 3)" },
    ],
    load: () => import("./plan.js"),
  },
  {
    path: ["apply"],
    summary: "plan and apply the synthesized stacks one by one in dependency order (network → data → services)",
    description: [
      "For each stack in order: terraform init, plan -out=opsctl.tfplan, confirm (skipped with --yes), apply the saved plan. Stops at the first failure; the stacks after it are reported as skipped. Stacks without changes are not applied.",
      "",
      "--dry-run plans only (like `opsctl plan`). Without a terminal, --yes is required (exit 4). Exit 3 when terraform fails, 4 when the state is locked by another run.",
    ].join("\n"),
    options: common,
    mutates: true,
    load: () => import("./apply.js"),
  },
  {
    path: ["destroy"],
    summary: "destroy the synthesized stacks in reverse dependency order (services → data → network)",
    description: [
      "Plans the destroy of every stack (terraform plan -destroy), shows the counts, asks once (skipped with --yes), then runs terraform destroy stack by stack in reverse order, stopping at the first failure. --dry-run plans only.",
      "",
      "When the network cannot be deleted because something still uses it (a connector's aet-* firewall rules, a producer service on the private service access connection), it says so and points at `opsctl state doctor` and `opsctl state cleanup` (runbooks/vpc-deletion-stuck.md).",
    ].join("\n"),
    options: common,
    mutates: true,
    load: () => import("./destroy.js"),
  },
];
