/**
 * Extracts the opsctl command lines from Markdown: every line of a shell code block (```sh, bash,
 * shell, console or no language) that runs `opsctl` or `npx opsctl`, also after a pipe or `&&`.
 * A block preceded by `<!-- pending: issue N -->` (the nearest non-blank line before its fence)
 * documents a command that has not landed yet. Inline code spans in prose (`opsctl doctor`) are
 * extracted too, marked `inline`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export interface DocCommand {
  file: string;
  line: number;
  /** the command line as written */
  text: string;
  /** the words after `opsctl`, as a shell would split them */
  argv: string[];
  /** issue number of a `<!-- pending: issue N -->` marker on the block */
  pendingIssue?: number;
  /** an inline code span in prose (`opsctl doctor`) rather than a line of a code block */
  inline?: boolean;
}

const SHELL_LANGS = new Set(["", "sh", "bash", "shell", "console", "zsh"]);
const PENDING = /^<!--\s*pending:\s*issue\s+(\d+)\s*-->$/;

/** Shell words with quotes removed; operators (| && || ; > <) become their own words. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = "";
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? "";
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
      continue;
    }
    if (c === "#" && !has && current === "") break; // comment
    if (/\s/.test(c)) {
      if (has) words.push(current);
      current = "";
      has = false;
      continue;
    }
    const two = line.slice(i, i + 2);
    if (two === "&&" || two === "||" || two === "2>" || two === ">>") {
      if (has) words.push(current);
      words.push(two);
      current = "";
      has = false;
      i++;
      continue;
    }
    if (c === "|" || c === ";" || c === ">" || c === "<") {
      if (has) words.push(current);
      words.push(c);
      current = "";
      has = false;
      continue;
    }
    current += c;
    has = true;
  }
  if (has) words.push(current);
  return words;
}

const OPERATORS = new Set(["|", "&&", "||", ";"]);
const REDIRECTS = new Set([">", ">>", "<", "2>"]);

/** The argv of every opsctl invocation on one (joined) line. */
export function opsctlInvocations(line: string): string[][] {
  const out: string[][] = [];
  let segment: string[] = [];
  const flush = () => {
    let words = segment.filter((w) => w !== "$");
    while (words[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) words = words.slice(1); // VAR=value prefix
    if (words[0] === "npx") words = words.slice(1);
    if (words[0] === "opsctl") out.push(words.slice(1));
    segment = [];
  };
  // Usage notation: `[--stack S]` and `[--yes | --dry-run]` document optional flags; check each flag.
  // `<env>` is a placeholder, not a shell redirect.
  const usage = line.replace(/\[(--?[A-Za-z][^\]]*)\]/g, (_m, inner: string) => inner.split(" | ").join(" ")).replace(/<([A-Za-z][\w.-]*)>/g, "$1");
  const words = shellWords(usage);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? "";
    if (OPERATORS.has(w)) flush();
    else if (REDIRECTS.has(w)) i++; // drop the redirect target
    else if (w.startsWith("2>") || w === "&") continue;
    else segment.push(w);
  }
  flush();
  return out;
}

export function extractCommands(file: string, markdown: string, root: string): DocCommand[] {
  const lines = markdown.split("\n");
  const out: DocCommand[] = [];
  let inBlock = false;
  let shellBlock = false;
  let pending: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const fence = /^\s*(```|~~~)\s*([\w-]*)/.exec(raw);
    if (fence) {
      if (!inBlock) {
        inBlock = true;
        shellBlock = SHELL_LANGS.has((fence[2] ?? "").toLowerCase());
        pending = undefined;
        for (let j = i - 1; j >= 0; j--) {
          const before = (lines[j] ?? "").trim();
          if (before === "") continue;
          const m = PENDING.exec(before);
          if (m) pending = Number(m[1]);
          break;
        }
      } else inBlock = false;
      continue;
    }
    if (!inBlock) {
      // inline spans in prose: `opsctl ...`
      for (const m of raw.matchAll(/`((?:npx )?opsctl(?: [^`]*)?)`/g)) {
        for (const argv of opsctlInvocations(m[1] ?? "")) out.push({ file: relative(root, file), line: i + 1, text: m[1] ?? "", argv, inline: true });
      }
      continue;
    }
    if (!shellBlock) continue;
    // join continuation lines
    let text = raw.trim();
    const start = i;
    while (text.endsWith("\\") && i + 1 < lines.length) text = `${text.slice(0, -1)} ${(lines[++i] ?? "").trim()}`;
    if (text.startsWith("#")) continue;
    for (const argv of opsctlInvocations(text)) out.push({ file: relative(root, file), line: start + 1, text, argv, ...(pending !== undefined ? { pendingIssue: pending } : {}) });
  }
  return out;
}

export function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...markdownFiles(path));
    else if (name.endsWith(".md")) out.push(path);
  }
  return out.sort();
}

export function documentedCommands(root: string): DocCommand[] {
  const files = [join(root, "README.md"), ...markdownFiles(join(root, "runbooks"))];
  return files.flatMap((f) => extractCommands(f, readFileSync(f, "utf8"), root));
}
