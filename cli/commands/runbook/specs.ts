import type { CommandSpec } from "../../core/command.js";

export const runbookSpecs: CommandSpec[] = [
  {
    path: ["runbook", "list"],
    summary: "list the on-call runbooks (symptoms and procedures)",
    load: () => import("./list.js"),
  },
  {
    path: ["runbook", "show"],
    summary: "print one runbook in the terminal",
    description: "Renders runbooks/<name>.md for a terminal: headings, commands and tables, no Markdown noise.\nThe name may be given with or without `.md` or the `runbooks/` prefix, as printed by errors.",
    arguments: [{ name: "<name>", description: "runbook name, e.g. vpc-deletion-stuck" }],
    options: [{ flags: "--raw", description: "print the Markdown source unchanged" }],
    load: () => import("./show.js"),
  },
];
