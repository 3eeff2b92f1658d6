import type { CommandSpec, OptionSpec } from "../../core/command.js";

const STACK_CHOICES = ["network", "data", "services"];

const common: OptionSpec[] = [
  { flags: "--dir <path>", description: "directory holding the synthesized stacks (<dir>/<stack>/cdk.tf.json)", default: "cdktf.out/stacks" },
  { flags: "--terraform-bin <path>", description: "terraform or tofu binary (default: OPSCTL_TERRAFORM_BIN, else terraform, else tofu on PATH)" },
];

const timing: OptionSpec[] = [
  { flags: "--in-use-deadline <duration>", description: "how long to retry 'resource in use' answers", default: "15m" },
  { flags: "--aet-timeout <duration>", description: "how long to wait for a deleted connector's aet-* firewall rules before deleting them", default: "10m" },
  { flags: "--poll-interval <duration>", description: "interval between polls of operations and disappearing objects", default: "5s" },
  { flags: "--operation-timeout <duration>", description: "longest wait for one long-running operation", default: "30m" },
];

export const stateSpecs: CommandSpec[] = [
  {
    path: ["state", "doctor"],
    summary: "drift between Terraform state and the project; what blocks a network's deletion",
    description:
      "Per stack: state entries whose object no longer exists (orphans), objects with our labels that no state knows (leaks), and for each network everything that still uses it with the action that removes it.\nExit 0 when state and project agree, 1 when there are orphans, leaks or blockers no state manages.",
    options: [{ flags: "--stack <name>", description: "only this stack (default: every synthesized stack)", choices: STACK_CHOICES }, { flags: "--network <name>", description: "also check this network" }, ...common],
    load: () => import("./doctor.js"),
  },
  {
    path: ["state", "cleanup"],
    summary: "tear down what blocks a network's deletion, then state rm the orphaned entries (backed up)",
    description:
      "Order: Cloud Run services → Memorystore → VPC connectors → their aet-* firewall rules → private service access connection (fallback: peering) → global addresses → firewall rules → routes → subnetworks → network. Backs up each state before `terraform state rm`, prints the restore command, and ends with `state doctor`.\nSafe to re-run after a failure or Ctrl-C: it continues where it stopped.",
    mutates: true,
    options: [
      { flags: "--stack <name>", description: "the stack whose network is torn down", choices: STACK_CHOICES, default: "network" },
      { flags: "--network <name>", description: "the network to clean up (default: the networks in the stack's state)" },
      { flags: "--force-unlock <id>", description: "release a stale state lock with this ID first (only when its holder is dead)" },
      ...common,
      ...timing,
    ],
    load: () => import("./cleanup.js"),
  },
  {
    path: ["state", "restore"],
    summary: "push back a state backup written by `state cleanup` (same lineage only)",
    mutates: true,
    options: [
      { flags: "--stack <name>", description: "the stack to restore", choices: STACK_CHOICES, default: "network" },
      { flags: "--from <file>", description: "the backup file printed by `state cleanup`" },
      ...common,
    ],
    load: () => import("./restore.js"),
  },
];
