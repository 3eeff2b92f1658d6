/**
 * Finds the `opsctl` invocations in the shell snippets of a CI pipeline and turns each into argv.
 * A small tokenizer (quotes, line continuations, ; && || | and redirections), not a shell: variable
 * and expression references (${{ x }}, ${VAR}, $VAR) become the placeholder "X", which is a valid
 * value for every flag that takes one.
 */
export interface Invocation {
  /** where it was found, e.g. "github-actions jobs.plan.steps[5]" */
  source: string;
  /** the words after `opsctl` */
  argv: string[];
}

const OPERATORS = new Set([";", "&&", "||", "|", ">", ">>", "<", "2>", "2>&1"]);

function substitute(script: string): string {
  return script
    .replace(/\\\n/g, " ")
    .replace(/\$\{\{[^}]*\}\}/g, "X")
    .replace(/\$\$?\{[A-Za-z_][A-Za-z0-9_]*\}/g, "X")
    .replace(/\$\$?[A-Za-z_][A-Za-z0-9_]*/g, "X");
}

export function tokenize(script: string): string[] {
  const tokens: string[] = [];
  const text = substitute(script);
  let current: string | undefined;
  const flush = () => {
    if (current !== undefined) tokens.push(current);
    current = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end === -1) throw new Error(`unterminated ${ch} in: ${script}`);
      current = (current ?? "") + text.slice(i + 1, end);
      i = end;
    } else if (ch === "\n") {
      flush();
      tokens.push(";");
    } else if (/\s/.test(ch)) {
      flush();
    } else if (";&|<>".includes(ch)) {
      flush();
      const two = text.slice(i, i + 2);
      if (two === "&&" || two === "||" || two === ">>") {
        tokens.push(two);
        i += 1;
      } else tokens.push(ch);
    } else if (ch === "#" && current === undefined) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end - 1;
    } else current = (current ?? "") + ch;
  }
  flush();
  return tokens;
}

/** Every `opsctl …` / `npx opsctl …` in the script, up to the next operator; redirections dropped. */
export function opsctlInvocations(script: string, source: string): Invocation[] {
  const tokens = tokenize(script);
  const found: Invocation[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== "opsctl") continue;
    const prev = tokens[i - 1];
    if (!(prev === undefined || prev === "npx" || OPERATORS.has(prev) || prev === "then" || prev === "do")) continue;
    const argv: string[] = [];
    for (let j = i + 1; j < tokens.length; j++) {
      const t = tokens[j] ?? "";
      if (OPERATORS.has(t)) break;
      argv.push(t);
    }
    found.push({ source, argv });
  }
  return found;
}
