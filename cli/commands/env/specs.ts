import type { CommandSpec } from "../../core/command.js";

export const envSpecs: CommandSpec[] = [
  {
    path: ["env", "scan"],
    summary: "env vars the application source reads vs what the contract wires",
    description: [
      "Reads Python (os.environ / os.getenv / pydantic BaseSettings), TypeScript/JavaScript (process.env),",
      "Java (System.getenv) and Go (os.Getenv / os.LookupEnv) sources under <dir> and compares the variables",
      "they read with the env contract of the service (--service) or of every service and job.",
      "Exit 1 when the code reads a variable the contract does not wire (it would be unset on Cloud Run).",
      "Without --env/--config it only lists what the code reads.",
    ].join(" "),
    arguments: [{ name: "<dir>", description: "application source directory" }],
    options: [
      { flags: "--service <name>", description: "compare with this service's (or job's) contract only" },
      { flags: "--suggest", description: "print the env contract snippet that wires what is missing" },
    ],
    load: () => import("./scan.js"),
  },
];
