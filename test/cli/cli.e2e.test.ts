/**
 * The built CLI as users and CI run it: a subprocess, parsed output, exit codes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runOpsctl } from "../harness/run-opsctl.js";

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };

describe("opsctl (built) — help, version, strict parsing", () => {
  it("GIVEN --help THEN every command group so far is listed with one-line help, and the exit codes", async () => {
    const run = await runOpsctl(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/doctor .*check this machine/);
    expect(run.stdout).toMatch(/config .*validate, show and describe/);
    expect(run.stdout).toContain("Exit codes:");
    expect(run.stdout).toMatch(/130\s+interrupted/);
  });

  it("GIVEN --version THEN the package version is printed", async () => {
    const run = await runOpsctl(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it("GIVEN an unknown option THEN exit 2 naming it (text and --json)", async () => {
    const text = await runOpsctl(["config", "validate", "--env", "dev", "--bogus"]);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain("unknown option '--bogus'");
    const json = await runOpsctl(["config", "validate", "--env", "dev", "--bogus", "--json"]);
    expect(json.code).toBe(2);
    expect(json.json).toMatchObject({ ok: false, error: { code: "usage", exitCode: 2 } });
    expect(json.json?.error?.message).toContain("--bogus");
  });

  it("GIVEN an unknown command or an excess argument THEN exit 2", async () => {
    expect((await runOpsctl(["nope"])).code).toBe(2);
    expect((await runOpsctl(["config", "validate", "extra"])).code).toBe(2);
  });
});

describe("opsctl config", () => {
  it("GIVEN --env dev THEN validate succeeds (exit 0) and the JSON envelope says ok", async () => {
    const run = await runOpsctl(["config", "validate", "--env", "dev", "--json"]);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ ok: true, command: "config validate", result: { files: [{ environment: "dev", valid: true, issues: [] }] } });
  });

  it("GIVEN OPSCTL_ENV THEN it selects the environment", async () => {
    const run = await runOpsctl(["config", "validate", "--json"], { env: { OPSCTL_ENV: "staging" } });
    expect(run.json?.result).toMatchObject({ files: [{ environment: "staging" }] });
  });

  it("GIVEN a bad document THEN exit 2 with every path in the message and in --json details", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsctl-cfg-"));
    const file = join(dir, "dev.yaml");
    writeFileSync(
      file,
      readFileSync(join(REPO_ROOT, "config/dev.yaml"), "utf8")
        .replace("REDIS_HOST: { from: redis.host }", "REDIS_HOST: { from: redis.hostname }")
        .replace("evictionPolicy: volatile-lru", "evictionPolicy: volatile"),
    );
    const text = await runOpsctl(["config", "validate", "--config", file]);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('services.webhook.env.REDIS_HOST: unknown source "redis.hostname"; did you mean "redis.host"?');
    expect(text.stderr).toContain("redis.evictionPolicy");
    const json = await runOpsctl(["config", "show", "--config", file, "--json"]);
    expect(json.code).toBe(2);
    expect(json.json?.ok).toBe(false);
    expect(json.json?.error?.code).toBe("config_invalid");
    const details = json.json?.error?.details as { path: string }[];
    expect(details.map((d) => d.path)).toEqual(expect.arrayContaining(["redis.evictionPolicy"]));
  });

  it("GIVEN an unknown environment THEN exit 2 with did-you-mean and the known ones", async () => {
    const run = await runOpsctl(["config", "show", "--env", "prd"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('did you mean "prod"?');
    expect(run.stderr).toContain("known environments: dev, prod, staging");
  });

  it("GIVEN show --env prod --json THEN the resolved document has defaults filled", async () => {
    const run = await runOpsctl(["config", "show", "--env", "prod", "--json"]);
    expect(run.code).toBe(0);
    const result = run.json?.result as { environment: string; services: { webhook: { deploy: { steps: number[] } } }; redis: { tier: string } };
    expect(result.environment).toBe("prod");
    expect(result.services.webhook.deploy.steps).toEqual([10, 50, 100]);
    expect(result.redis.tier).toBe("STANDARD_HA");
  });

  it("GIVEN schema THEN a JSON Schema document is printed", async () => {
    const run = await runOpsctl(["config", "schema"]);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout);
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(expect.arrayContaining(["environment", "project", "network", "redis", "firestore"]));
  });
});

describe("mutations are guarded", () => {
  it("GIVEN no TTY and no --yes WHEN a command would overwrite a file THEN exit 4 and nothing changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsctl-schema-"));
    const file = join(dir, "schema.json");
    writeFileSync(file, "{}\n");
    const refused = await runOpsctl(["config", "schema", "--out", file, "--json"]);
    expect(refused.code).toBe(4);
    expect(refused.json?.error).toMatchObject({ code: "confirmation_required", exitCode: 4 });
    expect(refused.json?.error?.hint).toContain("--yes");
    expect(readFileSync(file, "utf8")).toBe("{}\n");

    const dry = await runOpsctl(["config", "schema", "--out", file, "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    expect(dry.json?.result).toMatchObject({ action: "would-update" });
    expect(readFileSync(file, "utf8")).toBe("{}\n");

    const yes = await runOpsctl(["config", "schema", "--out", file, "--yes", "--json"]);
    expect(yes.code).toBe(0);
    expect(yes.json?.result).toMatchObject({ action: "updated" });
    expect(JSON.parse(readFileSync(file, "utf8")).type).toBe("object");
  });
});

describe("opsctl doctor", () => {
  it("GIVEN this machine THEN each item is reported and overridden endpoints are listed", async () => {
    const run = await runOpsctl(["doctor", "--json"], { env: { OPSCTL_RUN_ENDPOINT: "http://127.0.0.1:9", FIRESTORE_EMULATOR_HOST: "127.0.0.1:8080", GOOGLE_APPLICATION_CREDENTIALS: "/nonexistent/adc.json" } });
    expect(run.code).toBe(0);
    const result = run.json?.result as { checks: { name: string; status: string; fix?: string }[]; endpoints: Record<string, string> };
    const names = result.checks.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["node", "config", "credentials", "redis-server", "java", "gcloud", "firestore-emulator", "pubsub-emulator", "endpoints"]));
    expect(result.checks.find((c) => c.name === "node")?.status).toBe("ok");
    expect(result.checks.find((c) => c.name === "config")?.status).toBe("ok");
    const creds = result.checks.find((c) => c.name === "credentials");
    expect(creds?.status).toBe("warn");
    expect(creds?.fix).toContain("gcloud auth application-default login");
    expect(result.endpoints).toEqual({ firestore: "127.0.0.1:8080 (emulator)", run: "http://127.0.0.1:9" });
  });

  it("GIVEN an invalid config THEN doctor fails (exit 1) naming the fix", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsctl-doc-"));
    writeFileSync(join(dir, "dev.yaml"), "environment: dev\n");
    const run = await runOpsctl(["doctor", "--json"], { env: { OPSCTL_CONFIG_DIR: dir } });
    expect(run.code).toBe(1);
    const config = (run.json?.result as { checks: { name: string; status: string; fix?: string }[] } | undefined)?.checks.find((c) => c.name === "config");
    expect(config?.status).toBe("fail");
    expect(config?.fix).toContain("opsctl config validate");
  });
});

describe("argv values never echo back", () => {
  it("GIVEN a stray positional or an unknown --flag=value THEN the error names the problem but not the value", async () => {
    const extra = await runOpsctl(["config", "validate", "--env", "dev", "hunter2-very-secret"]);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("too many arguments for 'validate'");
    expect(extra.stderr).not.toContain("hunter2-very-secret");
    const unknown = await runOpsctl(["config", "validate", "--env", "dev", "--value=hunter2-very-secret", "--json"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain("--value=");
    expect(unknown.stdout + unknown.stderr).not.toContain("hunter2-very-secret");
  });
});
