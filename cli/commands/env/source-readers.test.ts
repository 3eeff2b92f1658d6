import { describe, expect, it } from "vitest";
import { scanSource } from "./source-readers.js";

const names = (file: string, text: string) => scanSource(file, text).reads.map((r) => r.name);

describe("scanSource", () => {
  it("GIVEN Python reads THEN os.getenv, os.environ.get and os.environ[] are found with literal defaults", () => {
    const { reads } = scanSource("a.py", `import os\nH = os.getenv("REDIS_HOST", "localhost")\nP = os.environ.get('REDIS_PORT', 6379)\nB = os.environ["BUCKET"]\n# os.getenv("IN_COMMENT")\n`);
    expect(reads.map((r) => [r.name, r.line, r.defaultValue, r.hasDefault])).toEqual([
      ["REDIS_HOST", 2, "localhost", true],
      ["REDIS_PORT", 3, "6379", true],
      ["BUCKET", 4, undefined, false],
    ]);
  });

  it("GIVEN a pydantic BaseSettings class THEN each field is an upper-cased var with env_prefix, aliases win, methods and ClassVars are skipped", () => {
    const py = [
      "class Settings(BaseSettings):",
      '    model_config = SettingsConfigDict(env_prefix="APP_")',
      "    redis_host: str",
      '    log_level: str = "info"',
      '    phone: str = Field(..., validation_alias="META_PHONE_NUMBER_ID")',
      "    limit: ClassVar[int] = 3",
      "",
      "    def url(self) -> str:",
      "        return self.redis_host",
      "",
      "x: int = 1",
    ].join("\n");
    const { reads } = scanSource("s.py", py);
    expect(reads.map((r) => [r.name, r.hasDefault, r.defaultValue])).toEqual([
      ["APP_REDIS_HOST", false, undefined],
      ["APP_LOG_LEVEL", true, "info"],
      ["META_PHONE_NUMBER_ID", false, undefined],
    ]);
  });

  it("GIVEN TS/JS reads THEN dot, bracket, destructuring and ?? / || defaults are found; computed names are dynamic", () => {
    const js = `const a = process.env.REDIS_HOST ?? "127.0.0.1";\nconst b = process.env["PROJECT_ID"];\nconst { PORT = "8080", LOG_LEVEL } = process.env;\n// process.env.NOT_THIS\nconst c = process.env[name];\n`;
    const scan = scanSource("x.ts", js);
    expect(scan.reads.map((r) => [r.name, r.defaultValue])).toEqual([
      ["REDIS_HOST", "127.0.0.1"],
      ["PROJECT_ID", undefined],
      ["PORT", "8080"],
      ["LOG_LEVEL", undefined],
    ]);
    expect(scan.dynamic.map((d) => d.expression)).toEqual(["process.env[name]"]);
  });

  it("GIVEN Java and Go reads THEN System.getenv, getOrDefault, os.Getenv and os.LookupEnv are found", () => {
    expect(names("S.java", `String h = System.getenv().getOrDefault("REDIS_HOST", "localhost");\nString p = System.getenv("PROJECT_ID");`)).toEqual(["PROJECT_ID", "REDIS_HOST"]);
    expect(names("m.go", `h := os.Getenv("REDIS_HOST")\np, ok := os.LookupEnv("REDIS_PORT")`)).toEqual(["REDIS_HOST", "REDIS_PORT"]);
  });

  it("GIVEN an unknown file type THEN nothing is read", () => {
    expect(scanSource("README.md", 'os.getenv("X")').reads).toEqual([]);
  });
});
