/**
 * Markdown for a terminal, good enough for runbooks: headings stand out, commands are indented and
 * kept verbatim (they are meant to be copied), links show their target, HTML comments disappear.
 * No wrapping of code or tables: a command split over two lines cannot be pasted.
 */
export interface RenderOptions {
  color: boolean;
  width: number;
}

const ESC = "\x1b[";

export function renderMarkdown(markdown: string, options: RenderOptions): string {
  const bold = (s: string) => (options.color ? `${ESC}1m${s}${ESC}22m` : s);
  const dim = (s: string) => (options.color ? `${ESC}2m${s}${ESC}22m` : s);
  const cyan = (s: string) => (options.color ? `${ESC}36m${s}${ESC}39m` : s);
  const inline = (s: string) =>
    s
      .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_m, text: string, href: string) => (text === href ? href : `${text} (${href})`))
      .replace(/\*\*([^*]+)\*\*/g, (_m, t: string) => bold(t))
      .replace(/`([^`]+)`/g, (_m, t: string) => cyan(t));

  const out: string[] = [];
  let inCode = false;
  let inComment = false;
  for (const line of markdown.replace(/\r\n/g, "\n").split("\n")) {
    if (inComment) {
      if (line.includes("-->")) inComment = false;
      continue;
    }
    const pending = /^<!--\s*pending:\s*issue\s+(\d+)\s*-->$/.exec(line.trim());
    if (!inCode && pending) {
      // the docs-drift marker: tell the reader the next command may not exist in this build
      out.push(dim(`(the next command ships with issue ${pending[1]}; if this opsctl lacks it, use the gcloud steps)`));
      continue;
    }
    if (!inCode && line.trim().startsWith("<!--")) {
      if (!line.includes("-->")) inComment = true;
      continue;
    }
    if (line.trim().startsWith("```")) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(`    ${cyan(line)}`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]?.length ?? 1;
      const text = (heading[2] ?? "").replace(/`/g, "");
      if (level === 1) out.push(bold(text.toUpperCase()), dim("=".repeat(Math.min(text.length, options.width))));
      else if (level === 2) out.push(bold(text), dim("-".repeat(Math.min(text.length, options.width))));
      else out.push(bold(text));
      continue;
    }
    if (/^\|?\s*:?-{3,}/.test(line)) continue; // table separator row
    if (line.startsWith("|")) {
      const cells = line.replace(/^\|/, "").replace(/\|\s*$/, "").split("|").map((c) => inline(c.trim()));
      out.push(`  ${cells.join("  ·  ")}`);
      continue;
    }
    out.push(inline(line.replace(/^(\s*)[-*] /, "$1• ")));
  }
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}
