import { describe, expect, it } from "vitest";
import { runOpsctl } from "../harness/run-opsctl.js";

const CONFIG = "test/fixtures/env-scan/scanfix.yaml";

interface ScanJson {
  notWired: string[];
  notRead: string[];
  vars: { name: string; status: string; didYouMean?: string; defaultValue?: string }[];
  suggestion?: string;
}

async function scan(app: string, extra: string[] = []) {
  const run = await runOpsctl(["env", "scan", `test/fixtures/env-scan/${app}`, "--config", CONFIG, "--service", "worker", "--json", ...extra]);
  return { run, result: run.json?.result as ScanJson };
}

describe("opsctl env scan on seed-000 fixture apps (built CLI)", () => {
  it("GIVEN the Python app (os.getenv, os.environ, pydantic BaseSettings) THEN REDIS_HOST, PROJECT_ID, META_PHONE_NUMBER_ID and NOME_BUCKET_MIDIAS_MIA are read but not wired, exit 1", async () => {
    const { run, result } = await scan("python-app", ["--suggest"]);
    expect(run.code, run.stderr).toBe(1);
    expect(result.notWired).toEqual(["HANDOFF_TOPIC_ID", "META_PHONE_NUMBER_ID", "NOME_BUCKET_MIDIAS_MIA", "PROJECT_ID", "REDIS_HOST"]);
    const byName = Object.fromEntries(result.vars.map((v) => [v.name, v]));
    expect(byName.REDIS_HOST?.defaultValue).toBe("localhost");
    expect(byName.NOME_BUCKET_MIDIAS_MIA?.didYouMean).toBe("BUCKET_NAME");
    expect(byName.OUTBOUND_TOPIC?.status).toBe("wired"); // pydantic field outbound_topic
    expect(byName.K_SERVICE?.status).toBe("platform");
    expect(result.suggestion).toContain("REDIS_HOST: { from: redis.host }");
    expect(result.suggestion).toContain("PROJECT_ID: { from: project.id }");
    expect(result.suggestion).toContain("META_PHONE_NUMBER_ID: { secret: WHATSAPP_PHONE_NUMBER_ID }");
    expect(result.suggestion).toContain("NOME_BUCKET_MIDIAS_MIA: { from: bucket.media.name }");
  });

  it("GIVEN the Node app THEN the same mistakes are found through process.env forms", async () => {
    const { run, result } = await scan("node-app");
    expect(run.code).toBe(1);
    expect(result.notWired).toEqual(["META_PHONE_NUMBER_ID", "NOME_BUCKET_MIDIAS_MIA", "PROJECT_ID", "REDIS_HOST"]);
  });

  it("GIVEN the Java app THEN System.getenv reads are compared; BUCKET_NAME is wired", async () => {
    const { run, result } = await scan("java-app");
    expect(run.code).toBe(1);
    expect(result.notWired).toEqual(["META_PHONE_NUMBER_ID", "PROJECT_ID", "REDIS_HOST"]);
    expect(result.vars.find((v) => v.name === "BUCKET_NAME")?.status).toBe("wired");
  });

  it("GIVEN the Go app THEN os.Getenv / os.LookupEnv reads are compared", async () => {
    const { run, result } = await scan("go-app");
    expect(run.code).toBe(1);
    expect(result.notWired).toEqual(["NOME_BUCKET_MIDIAS_MIA", "PROJECT_ID", "REDIS_HOST"]);
    expect(result.notRead).toContain("BUCKET_NAME");
  });

  it("GIVEN the human output THEN the table names the file and line and the localhost fallback", async () => {
    const run = await runOpsctl(["env", "scan", "test/fixtures/env-scan/python-app", "--config", CONFIG, "--service", "worker"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/REDIS_HOST\s+not-wired\s+src\/repositorios\/sessao_redis\.py:6 \(os\.getenv\)/);
    expect(run.stdout).toContain('falls back to "localhost"');
  });

  it("GIVEN bad input THEN a clear usage error, exit 2", async () => {
    const missingDir = await runOpsctl(["env", "scan", "no/such/dir", "--json"]);
    expect(missingDir.code).toBe(2);
    expect(missingDir.json?.error?.message).toContain("is not a directory");
    const unknownService = await runOpsctl(["env", "scan", "test/fixtures/env-scan/go-app", "--config", CONFIG, "--service", "wroker", "--json"]);
    expect(unknownService.code).toBe(2);
    expect(unknownService.json?.error?.message).toContain('did you mean "worker"');
  });
});
