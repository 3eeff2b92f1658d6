/**
 * The two sides of "every alert leads to a runbook": each alert's runbook exists and names the alert
 * on an `Alert: <display name>` line, and every `Alert:` line in runbooks/ names a real alert.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ALERT_RUNBOOKS, ALERTS } from "./alert-catalog.js";

const runbooksDir = fileURLToPath(new URL("../../runbooks/", import.meta.url));
const alertLines = (file: string): string[] =>
  readFileSync(`${runbooksDir}${file}`, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("Alert:"))
    .map((l) => l.slice("Alert:".length).trim());

describe("alerts ↔ runbooks", () => {
  it("GIVEN the alert catalogue THEN its runbooks are exactly ALERT_RUNBOOKS", () => {
    expect([...new Set(Object.values(ALERTS).map((a) => a.runbook))].sort()).toEqual([...ALERT_RUNBOOKS].sort());
  });

  it.each(Object.values(ALERTS).map((a) => [a.displayName, a.runbook] as const))("alert %s → runbooks/%s.md exists with an `Alert:` line naming it", (displayName, runbook) => {
    const file = `${runbook}.md`;
    expect(existsSync(`${runbooksDir}${file}`)).toBe(true);
    expect(alertLines(file)).toContain(displayName);
  });

  it("GIVEN every `Alert:` line in runbooks/ THEN it names an alert that exists, in the runbook that alert links", () => {
    const byName = new Map<string, string>(Object.values(ALERTS).map((a) => [a.displayName, a.runbook]));
    for (const file of readdirSync(runbooksDir).filter((f) => f.endsWith(".md"))) {
      for (const name of alertLines(file)) {
        expect(byName.has(name), `${file}: "Alert: ${name}" names no alert`).toBe(true);
        expect(`${byName.get(name)}.md`, `${file}: "Alert: ${name}"`).toBe(file);
      }
    }
  });

  it("GIVEN an alert-style runbook THEN it has the Meaning, Impact, Diagnosis and Mitigation sections", () => {
    for (const runbook of ALERT_RUNBOOKS) {
      const text = readFileSync(`${runbooksDir}${runbook}.md`, "utf8");
      for (const section of ["## Meaning", "## Impact", "## Diagnosis", "## Mitigation"]) expect(text, `${runbook}.md ${section}`).toContain(`\n${section}\n`);
    }
  });
});
