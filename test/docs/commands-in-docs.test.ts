/**
 * The docs cannot drift from the CLI: every `opsctl ...` line in README.md and runbooks/ is parsed
 * by the real command table (cli/program.ts parseOnly: nothing runs). A line in a block marked
 * `<!-- pending: issue N -->` may name a command that has not landed yet; once the command exists
 * its flags are checked like every other line, so the test tightens by itself as issues merge.
 */
import { describe, expect, it } from "vitest";
import { parseOnly } from "../../cli/program.js";
import { REPO_ROOT } from "../harness/run-opsctl.js";
import { documentedCommands, extractCommands, opsctlInvocations } from "./doc-commands.js";

/** Errors that mean "this command does not exist (yet)", as opposed to a wrong flag on a real one. */
const NOT_LANDED = new Set(["commander.unknownCommand", "commander.excessArguments", "commander.help"]);

describe("command lines in README.md and runbooks/", () => {
  const commands = documentedCommands(REPO_ROOT);

  it("GIVEN the docs THEN they contain opsctl command lines to check (the extractor works)", () => {
    expect(commands.length).toBeGreaterThan(40);
    expect(commands.some((c) => c.file.startsWith("runbooks/"))).toBe(true);
    expect(commands.some((c) => c.file === "README.md")).toBe(true);
  });

  it("GIVEN every documented command line WHEN parsed by the real CLI THEN the command and each flag exist (pending blocks excepted only for commands that have not landed)", async () => {
    const failures: string[] = [];
    const pending: string[] = [];
    const stale: string[] = [];
    const inlineLoose: string[] = [];
    for (const c of commands) {
      const check = await parseOnly(c.argv);
      const where = `${c.file}:${c.line}: opsctl ${c.argv.join(" ")}`;
      if (check.ok) {
        if (c.pendingIssue !== undefined) stale.push(`${where} (pending: issue ${c.pendingIssue}, but it parses now: drop the marker)`);
        continue;
      }
      if (c.pendingIssue !== undefined && NOT_LANDED.has(check.code ?? "")) pending.push(`${where} → ${check.message} (issue ${c.pendingIssue})`);
      // Prose names commands loosely (`opsctl secrets`, `opsctl runbook show`, a command of another
      // issue): an inline span may name a group or a command that has not landed, but a flag it
      // shows must exist once the command does.
      else if (c.inline && (NOT_LANDED.has(check.code ?? "") || check.code === "commander.missingArgument")) inlineLoose.push(`${where} → ${check.message}`);
      else failures.push(`${where} → ${check.code}: ${check.message}`);
    }
    if (pending.length > 0) console.info(`${pending.length} documented command line(s) wait for their issue:\n  ${pending.join("\n  ")}`);
    if (inlineLoose.length > 0) console.info(`${inlineLoose.length} inline mention(s) name a group or a command not in this build:\n  ${inlineLoose.join("\n  ")}`);
    if (stale.length > 0) console.info(`stale pending markers:\n  ${stale.join("\n  ")}`);
    expect(failures).toEqual([]);
  });
});

describe("the extractor itself", () => {
  it("GIVEN pipes, prompts, env prefixes, continuations and comments THEN it finds exactly the opsctl invocations", () => {
    expect(opsctlInvocations(`printf %s "$NEW" | opsctl secrets rotate REDIS_PASSWORD --env prod --from-stdin`)).toEqual([["secrets", "rotate", "REDIS_PASSWORD", "--env", "prod", "--from-stdin"]]);
    expect(opsctlInvocations("npx opsctl config schema > config/environment.schema.json")).toEqual([["config", "schema"]]);
    expect(opsctlInvocations("OPSCTL_ENV=prod opsctl health && opsctl rollback --service webhook 2>&1")).toEqual([["health"], ["rollback", "--service", "webhook"]]);
    expect(opsctlInvocations("gcloud run services list")).toEqual([]);
    const md = ["<!-- pending: issue 4 -->", "", "```sh", "opsctl deploy --env prod \\", "  --service webhook   # canary", "# opsctl in a comment", "```", "", "```text", "opsctl output sample", "```"].join("\n");
    const found = extractCommands("/r/x.md", md, "/r");
    expect(found).toEqual([{ file: "x.md", line: 4, text: "opsctl deploy --env prod  --service webhook   # canary", argv: ["deploy", "--env", "prod", "--service", "webhook"], pendingIssue: 4 }]);
    const inline = extractCommands("/r/y.md", "Run `opsctl doctor --skip-config` or `npx opsctl config validate`; not `opsctlx`.", "/r");
    expect(inline.map((c) => [c.argv, c.inline])).toEqual([
      [["doctor", "--skip-config"], true],
      [["config", "validate"], true],
    ]);
  });

  it("GIVEN a wrong flag on a real command THEN parseOnly reports unknownOption, and a missing command unknownCommand", async () => {
    expect((await parseOnly(["config", "validate", "--env", "dev", "--no-such-flag"])).code).toBe("commander.unknownOption");
    expect((await parseOnly(["nosuchcommand"])).code).toBe("commander.unknownCommand");
    expect(await parseOnly(["pubsub", "dlq", "replay", "--topic", "t", "--max", "5", "--filter", "a=b", "--filter", "c=d", "--dry-run"])).toMatchObject({ ok: true, command: "pubsub dlq replay" });
  });
});
