import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rulesMarkdown } from "./rules-doc.js";

describe("RULES.md", () => {
  it("is up to date with the rules (regenerate with `npm run rules:doc`)", () => {
    expect(readFileSync(new URL("./RULES.md", import.meta.url), "utf8")).toBe(rulesMarkdown());
  });
});
