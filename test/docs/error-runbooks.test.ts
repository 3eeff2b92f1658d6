/**
 * Every runbook the CLI names exists: the `runbook: "<name>"` of each OpsError, and every
 * `runbooks/<name>.md` mentioned in a message or hint. And the index lists every runbook.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness/run-opsctl.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("runbooks named by the CLI (cli/, config/, cdktf/, modules/)", () => {
  const named = new Map<string, string>();
  const roots = ["cli", "config", "cdktf", "modules"].map((d) => join(REPO_ROOT, d)).filter((d) => existsSync(d));
  for (const file of roots.flatMap((root) => sourceFiles(root))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\brunbook:\s*["'`]([a-z0-9][a-z0-9-]*)["'`]/g)) named.set(m[1] ?? "", file.slice(REPO_ROOT.length));
    for (const m of text.matchAll(/runbooks\/([a-z0-9-]+)\.md/g)) named.set(m[1] ?? "", file.slice(REPO_ROOT.length));
  }

  it("GIVEN the CLI source THEN it names runbooks (the walk works)", () => {
    expect(named.size).toBeGreaterThan(2);
  });

  it("GIVEN each runbook named in cli/ THEN runbooks/<name>.md exists", () => {
    const missing = [...named].filter(([name]) => !existsSync(join(REPO_ROOT, "runbooks", `${name}.md`))).map(([name, file]) => `${name} (named in ${file})`);
    expect(missing).toEqual([]);
  });

  it("GIVEN runbooks/README.md THEN its table links every runbook and every link resolves", () => {
    const index = readFileSync(join(REPO_ROOT, "runbooks", "README.md"), "utf8");
    const files = readdirSync(join(REPO_ROOT, "runbooks")).filter((f) => f.endsWith(".md") && f !== "README.md");
    const linked = new Set([...index.matchAll(/\]\(([a-z0-9-]+\.md)\)/g)].map((m) => m[1]));
    expect(files.filter((f) => !linked.has(f))).toEqual([]);
    expect([...linked].filter((f) => f !== undefined && !files.includes(f))).toEqual([]);
  });
});
