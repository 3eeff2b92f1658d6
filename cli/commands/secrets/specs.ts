import type { CommandSpec } from "../../core/command.js";

const VERIFY = { flags: "--verify <check>", description: "test the new value before finishing: http:URL (bearer, expects 2xx), redis (AUTH), cloudrun (a no-traffic candidate revision of each consuming service, pinned to the new version, must become Ready and pass its health probe)" };
const ROLL = { flags: "--roll-consumers", description: "roll every service that reads the secret as `latest` onto a new health-gated revision (default when one exists)" };
const NO_ROLL = { flags: "--no-roll-consumers", description: "do not roll consumers: running instances keep the old value until they restart" };
const REDIS_URL = { flags: "--redis-url <url>", description: "Redis for --verify redis: redis://HOST:PORT or rediss:// (default: REDIS_HOST/REDIS_PORT/REDIS_TLS)" };

export const secretsSpecs: CommandSpec[] = [
  {
    path: ["secrets", "list"],
    summary: "versions, states, ages, next rotation and who pins what; exit 1 if a rotation is overdue",
    description: "Reads every secret of the environment from Secret Manager (never a value).\nExit 0 when nothing is overdue, 1 when a rotation is overdue, pending or a declared secret is missing.",
    load: () => import("./list.js"),
  },
  {
    path: ["secrets", "rotate"],
    summary: "rotate a secret: create, set, test, finish (resumable)",
    description: [
      "The new value comes from --from-stdin, --from-file, --generate KIND[:N] or the secret's provider",
      "(--provider meta-token exchanges the current Meta long-lived token). A value on the command line is refused.",
      "A refused --verify disables the new version, leaves consumers untouched and exits 1.",
      "finish rolls every Cloud Run service that reads the secret as `latest` onto a new revision (health-gated);",
      "--no-roll-consumers skips that. Services pinned to a version number need a config change and a deploy.",
      "An interrupted rotation is resumed by running the same command again.",
      "--from-notification reads a Secret Manager SECRET_ROTATE Pub/Sub message (file or - for stdin)",
      "and rotates that secret with its configured provider and verify.",
    ].join("\n"),
    // [value...] exists only to refuse it: commander's own "too many arguments" error echoes argv.
    arguments: [
      { name: "[secret]", description: "key under `secrets` in the environment document" },
      { name: "[refused...]", description: "a value here is refused (use --from-stdin / --from-file)" },
    ],
    options: [
      { flags: "--from-stdin", description: "read the new value from stdin" },
      { flags: "--from-file <path>", description: "read the new value from a file" },
      { flags: "--generate <kind>", description: "random[:BYTES] | hex[:BYTES] | base64[:BYTES] | rsa[:BITS]" },
      { flags: "--provider <name>", description: "override the configured provider: random, hex, base64, rsa, meta-token" },
      { flags: "--from-notification <file>", description: "SECRET_ROTATE Pub/Sub message (JSON) to act on; - reads stdin" },
      VERIFY,
      REDIS_URL,
      { flags: "--redis-ca-file <pem>", description: "server CA for rediss:// (Memorystore: serverCaCerts of the instance; also OPSCTL_REDIS_CA_FILE)" },
      { flags: "--grace <duration>", description: "keep the previous version enabled this long (default: the secret's graceHours)" },
      ROLL,
      NO_ROLL,
      { flags: "--value <value>", description: "refused: a secret on the command line leaks through shell history and ps" },
    ],
    mutates: true,
    load: () => import("./rotate.js"),
  },
  {
    path: ["secrets", "rollback"],
    summary: "return to the previous version: re-enable it, point consumers back, disable the bad one",
    arguments: [{ name: "<secret>", description: "key under `secrets` in the environment document" }],
    options: [{ flags: "--to <version>", description: "roll back to this version instead of `previous`" }, ROLL, NO_ROLL],
    mutates: true,
    load: () => import("./rollback.js"),
  },
  {
    path: ["secrets", "prune"],
    summary: "disable versions past their grace period, destroy versions past retention",
    description: "Destruction honours the secret's version_destroy_ttl: it is scheduled and can be undone\n(`gcloud secrets versions enable`) until the scheduled time.",
    arguments: [{ name: "[secret]", description: "only this secret (default: every declared secret)" }],
    mutates: true,
    load: () => import("./prune.js"),
  },
];
