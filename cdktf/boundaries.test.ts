/**
 * The import rules of STYLE.md, checked on the source: provider classes only inside modules/ and
 * only by deep path; cdktf/ imports modules/, never the reverse; cli/ never imports stacks,
 * modules or the provider (`opsctl synth` runs the app as a child process).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((entry) => {
    const full = join(root, dir, entry);
    if (statSync(full).isDirectory()) return sources(relative(root, full));
    return entry.endsWith(".ts") && !entry.endsWith(".test.ts") ? [relative(root, full)] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(join(root, file), "utf8").matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].map((m) => m[1] as string);

describe("import boundaries", () => {
  it("provider classes are imported only in modules/, and only by deep path", () => {
    for (const file of [...sources("cli"), ...sources("cdktf"), ...sources("config"), ...sources("modules")]) {
      for (const spec of importsOf(file).filter((s) => s.startsWith("@cdktf/provider-google"))) {
        expect(file.startsWith("modules/"), `${file} imports ${spec}`).toBe(true);
        expect(spec, file).toMatch(/^@cdktf\/provider-google\/lib\/[a-z0-9-]+\/index\.js$/);
      }
    }
  });

  it("modules/ never imports cdktf/", () => {
    for (const file of sources("modules")) for (const spec of importsOf(file)) expect(spec, file).not.toMatch(/\/cdktf\//);
  });

  it("cli/ never imports stacks, modules, the app or the provider; only cdktf/validation", () => {
    for (const file of sources("cli")) {
      for (const spec of importsOf(file)) {
        expect(spec, file).not.toMatch(/modules\/|cdktf\/(stacks|app|main|synth-environment|wiring\/(env-wiring|source-table))|@cdktf\/provider-google|^cdktf$/);
      }
    }
  });

  it("the rules read JSON only: cdktf/validation imports no construct library", () => {
    for (const file of sources("cdktf/validation").filter((f) => !f.endsWith("suppress.ts"))) {
      for (const spec of importsOf(file)) expect(spec, file).not.toMatch(/^cdktf$|^constructs$|modules\/|@cdktf\//);
    }
  });
});
