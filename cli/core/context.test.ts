import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createContext, type GlobalOptions } from "./context.js";

const globals = (over: Partial<GlobalOptions> = {}): GlobalOptions => ({ json: false, dryRun: false, yes: false, verbose: false, logFormat: "text", ...over });
const ctx = (global: GlobalOptions, env: NodeJS.ProcessEnv) =>
  createContext({ command: "t", global, streams: { stdout: new PassThrough(), stderr: new PassThrough() }, stdin: new PassThrough(), signal: new AbortController().signal, env });

describe("project resolution", () => {
  const config = { project: { id: "from-config", region: "europe-west1" } } as never;
  it("flag > GOOGLE_CLOUD_PROJECT > CLOUDSDK_CORE_PROJECT > config", () => {
    expect(ctx(globals({ project: "from-flag" }), { GOOGLE_CLOUD_PROJECT: "from-env" }).projectId(config)).toBe("from-flag");
    expect(ctx(globals(), { GOOGLE_CLOUD_PROJECT: "from-env", CLOUDSDK_CORE_PROJECT: "sdk" }).projectId(config)).toBe("from-env");
    expect(ctx(globals(), { CLOUDSDK_CORE_PROJECT: "sdk" }).projectId(config)).toBe("sdk");
    expect(ctx(globals(), {}).projectId(config)).toBe("from-config");
  });
  it("no project anywhere → usage error (exit 2)", () => {
    expect(() => ctx(globals(), {}).projectId()).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

describe("confirmation guard", () => {
  it("GIVEN no TTY and no --yes THEN refused with exit 4; with --yes THEN allowed", async () => {
    await expect(ctx(globals(), {}).confirm("delete everything")).rejects.toMatchObject({ exitCode: 4, code: "confirmation_required" });
    await expect(ctx(globals({ yes: true }), {}).confirm("delete everything")).resolves.toBeUndefined();
  });
});
