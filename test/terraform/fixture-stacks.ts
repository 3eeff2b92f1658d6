/**
 * A synthesized directory made of terraform_data resources (built into terraform: no provider
 * download) with a local backend, copied into a fresh temp dir per test. The data and services stacks
 * read the stack below them through terraform_remote_state, so running them out of order fails for
 * real; every create/destroy appends a line to cdktf.out/events.log, which shows the order.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "../harness/run-opsctl.js";

export const FIXTURE_STACKS = fileURLToPath(new URL("../fixtures/terraform-stacks/", import.meta.url));
export const DEV_CONFIG = join(REPO_ROOT, "config", "dev.yaml");

export interface FixtureWorkspace {
  /** the working directory to run opsctl in; the stacks are in ./cdktf.out */
  dir: string;
  synthDir: string;
  events(): string[];
  remove(): void;
}

export function fixtureWorkspace(): FixtureWorkspace {
  const dir = mkdtempSync(join(tmpdir(), "opsctl-stacks-"));
  const synthDir = join(dir, "cdktf.out");
  cpSync(FIXTURE_STACKS, synthDir, { recursive: true });
  const log = join(synthDir, "events.log");
  return {
    dir,
    synthDir,
    events: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((l) => l !== "") : []),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
