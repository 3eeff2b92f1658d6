import { describe, expect, it } from "vitest";
import { describeRunbook, normalizeRunbookName } from "./catalogue.js";
import { renderMarkdown } from "./render-markdown.js";

const md = ["# Title here", "", "First paragraph", "continues.", "", "## Meaning", "", "<!-- pending: issue 4 -->", "", "```sh", "opsctl health --env prod", "```", "", "| a | b |", "|---|---|", "| `x` | [link](y.md) |", ""].join("\n");

describe("runbook rendering", () => {
  it("GIVEN a runbook THEN headings, commands and tables render without Markdown noise or HTML comments", () => {
    const out = renderMarkdown(md, { color: false, width: 80 });
    expect(out).toContain("TITLE HERE\n==========");
    expect(out).toContain("Meaning\n-------");
    expect(out).toContain("    opsctl health --env prod");
    expect(out).toContain("x  ·  link (y.md)");
    expect(out).toContain("(the next command ships with issue 4;");
    expect(out).not.toContain("<!--");
    expect(out).not.toContain("```");
  });

  it("GIVEN a runbook THEN its kind, title and summary are derived; names accept runbooks/x.md", () => {
    expect(describeRunbook("x", md, "runbooks/x.md")).toEqual({ name: "x", title: "Title here", kind: "alert", summary: "First paragraph continues.", file: "runbooks/x.md" });
    expect(normalizeRunbookName("runbooks/vpc-deletion-stuck.md")).toBe("vpc-deletion-stuck");
  });
});
