import type { CommandSpec } from "../../core/command.js";

export const configSpecs: CommandSpec[] = [
  {
    path: ["config", "validate"],
    summary: "validate an environment document; every problem with its dot-path",
    description: "Validates config/<env>.yaml (or --config FILE): schema, defaults and cross-field rules.\nExit 0 when valid (warnings allowed), 2 when invalid.",
    options: [{ flags: "--all", description: "validate every environment under config/" }],
    load: () => import("./validate.js"),
  },
  {
    path: ["config", "show"],
    summary: "print the resolved environment document (defaults filled)",
    load: () => import("./show.js"),
  },
  {
    path: ["config", "schema"],
    summary: "print the JSON Schema of environment documents (for editors and CI)",
    description: "With --out FILE, writes it (asks before overwriting a different file; --yes to skip, --dry-run to preview).",
    options: [{ flags: "--out <file>", description: "write the schema to this file instead of stdout" }],
    mutates: true,
    load: () => import("./schema.js"),
  },
];
