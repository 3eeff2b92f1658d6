/**
 * The live revision's env against the contract, as far as it can be told without resolving
 * resource attributes: every contract var is present, secrets reference the declared secret and
 * version, literals have the declared value, and nothing unknown was added. `opsctl env verify`
 * (issue 7) resolves `from:` sources against the project; this is the cheap subset health runs.
 */
import type { ServiceConfig } from "../../config/schema.js";
import type { RevisionView } from "./model.js";

export function envDrift(contract: ServiceConfig["env"], revision: RevisionView): string[] {
  const live = new Map(revision.env.map((e) => [e.name, e]));
  const problems: string[] = [];
  for (const [name, source] of Object.entries(contract)) {
    const got = live.get(name);
    if (!got) {
      problems.push(`${name} missing`);
      continue;
    }
    if ("secret" in source) {
      if (got.secret !== source.secret) problems.push(`${name} should reference secret ${source.secret}, has ${got.secret ?? "a literal"}`);
      else if ((got.version ?? "latest") !== source.version) problems.push(`${name} uses ${source.secret} version ${got.version ?? "latest"}, contract says ${source.version}`);
    } else if ("value" in source) {
      if (got.secret || got.value !== source.value) problems.push(`${name} is ${got.secret ? `secret ${got.secret}` : JSON.stringify(got.value ?? "")}, contract says ${JSON.stringify(source.value)}`);
    } else if (got.secret) {
      problems.push(`${name} should come from ${source.from}, has secret ${got.secret}`);
    }
  }
  for (const name of live.keys()) if (!(name in contract)) problems.push(`${name} is not in the contract`);
  return problems;
}
