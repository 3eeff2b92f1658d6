/**
 * The table of contents of the whole CLI. Specs only: each command's module is imported when that
 * command runs, so `opsctl --help` loads no Google client and no provider binding.
 * Command groups add their specs in their own `<noun>/specs.ts` and are listed here.
 */
import type { CommandSpec } from "../core/command.js";
import { configSpecs } from "./config/specs.js";
import { deploySpecs } from "./deploy/specs.js";
import { doctorSpecs } from "./doctor/specs.js";
import { envSpecs } from "./env/specs.js";
import { healthSpecs } from "./health/specs.js";
import { idempotencySpecs } from "./idempotency/specs.js";
import { lintSpecs } from "./lint/specs.js";
import { pubsubSpecs } from "./pubsub/specs.js";
import { rollbackSpecs } from "./rollback/specs.js";
import { runbookSpecs } from "./runbook/specs.js";
import { secretsSpecs } from "./secrets/specs.js";
import { stateSpecs } from "./state/specs.js";
import { synthSpecs } from "./synth/specs.js";
import { terraformSpecs } from "./terraform/specs.js";

/** One-line help for each group, shown by `opsctl --help`. */
export const GROUP_SUMMARIES: Record<string, string> = {
  config: "validate, show and describe the environment configuration",
  env: "the env vars a service reads vs the env contract",
  state: "Terraform state drift and the teardown of what blocks a network's deletion",
  secrets: "list, rotate (create/set/test/finish), roll back and prune Secret Manager secrets",
  deploy: "health-gated canary deploys of Cloud Run services (and their history)",
  pubsub: "Pub/Sub operations",
  "pubsub dlq": "dead-letter queues: inspect and replay to the original topic",
  idempotency: "Redis ↔ Firestore idempotency consistency: audit and repair",
  runbook: "list and read the on-call runbooks",
};

export const COMMANDS: CommandSpec[] = [
  ...doctorSpecs,
  ...configSpecs,
  ...synthSpecs,
  ...lintSpecs,
  ...terraformSpecs,
  ...stateSpecs,
  ...healthSpecs,
  ...deploySpecs,
  ...rollbackSpecs,
  ...secretsSpecs,
  ...envSpecs,
  ...pubsubSpecs,
  ...idempotencySpecs,
  ...runbookSpecs,
];
