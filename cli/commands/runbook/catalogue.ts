/**
 * Where the runbooks are and what each one is: read from the Markdown files shipped with opsctl
 * (package.json "files" includes runbooks/), so the CLI never carries a second copy of them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { closest } from "../../../config/did-you-mean.js";
import { OpsError } from "../../core/errors.js";
import { ExitCode } from "../../core/exit-codes.js";

export type RunbookKind = "alert" | "procedure" | "index" | "other";

export interface RunbookEntry {
  name: string;
  title: string;
  kind: RunbookKind;
  summary: string;
  file: string;
}

/** runbooks/ beside dist/ (installed package) or beside cli/ (running from source under tsx). */
export function runbooksDir(): string {
  for (const rel of ["../../../../runbooks/", "../../../runbooks/"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}README.md`)) return dir;
  }
  throw new OpsError("the runbooks/ directory is missing from this installation", { code: "runbooks_missing", exitCode: ExitCode.internal, hint: "reinstall opsctl; runbooks/ ships with the package" });
}

export function describeRunbook(name: string, markdown: string, file: string): RunbookEntry {
  const lines = markdown.split("\n");
  const titleLine = lines.find((l) => l.startsWith("# "));
  const title = titleLine ? titleLine.slice(2).trim() : name;
  const headings = new Set(lines.filter((l) => l.startsWith("## ")).map((l) => l.slice(3).trim().toLowerCase()));
  const kind: RunbookKind = name === "README" ? "index" : headings.has("meaning") ? "alert" : headings.has("procedure") ? "procedure" : "other";
  const start = titleLine ? lines.indexOf(titleLine) + 1 : 0;
  const paragraph: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.trim() === "" || line.startsWith("<!--")) {
      if (paragraph.length > 0) break;
      continue;
    }
    if (line.startsWith("#")) break;
    paragraph.push(line.trim());
  }
  return { name, title, kind, summary: paragraph.join(" "), file };
}

export function listRunbooks(dir = runbooksDir()): RunbookEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md") && f !== "README.md")
    .sort()
    .map((f) => {
      const name = f.slice(0, -3);
      return describeRunbook(name, readFileSync(`${dir}${f}`, "utf8"), `runbooks/${f}`);
    });
}

/** Accepts `vpc-deletion-stuck`, `vpc-deletion-stuck.md` and `runbooks/vpc-deletion-stuck.md`. */
export function normalizeRunbookName(input: string): string {
  return input.trim().replace(/^(\.\/)?runbooks\//, "").replace(/\.md$/, "");
}

export function readRunbook(input: string, dir = runbooksDir()): { entry: RunbookEntry; markdown: string } {
  const name = normalizeRunbookName(input);
  const names = readdirSync(dir).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3));
  if (!/^[A-Za-z0-9._-]+$/.test(name) || !names.includes(name)) {
    const hit = closest(name, names);
    throw new OpsError(`no runbook named "${name}"${hit ? `; did you mean "${hit}"?` : ""}`, {
      code: "runbook_not_found",
      exitCode: ExitCode.usage,
      hint: "`opsctl runbook list` shows every runbook",
    });
  }
  const markdown = readFileSync(`${dir}${name}.md`, "utf8");
  return { entry: describeRunbook(name, markdown, `runbooks/${name}.md`), markdown };
}
