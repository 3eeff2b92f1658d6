import type { CommandSpec } from "../../core/command.js";

export const envSpecs: CommandSpec[] = [
  {
    path: ["env", "verify"],
    summary: "the env of the revisions serving traffic vs the env contract, resolved against the live project",
    description: [
      "For each service (or --service), reads every revision that serves traffic and compares its env with the contract:",
      "missing and unexpected vars, wrong values (from: sources resolved live: Memorystore host/port, bucket names, topic ids,",
      "service URLs), a literal where a secret reference is expected and the reverse, a pinned secret version that is disabled",
      "or destroyed, `latest` whose newest version is not enabled, and localhost / 127.0.0.1 values.",
      "Secret values are never read, only references and version states.",
      "Exit 0 no drift, 1 drift, 2 unknown service, 3 API failure.",
    ].join(" "),
    options: [
      { flags: "--service <name>", description: "only this service (config key, e.g. worker)" },
      { flags: "--redis-host <ip>", description: "expected redis.host instead of asking the Memorystore API" },
      { flags: "--redis-port <port>", description: "expected redis.port instead of asking the Memorystore API" },
    ],
    load: () => import("./verify.js"),
  },
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
