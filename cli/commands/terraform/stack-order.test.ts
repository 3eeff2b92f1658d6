import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OpsError } from "../../core/errors.js";
import { readStackOrder, selectStacks, topologicalOrder } from "./stack-order.js";

const dirs: string[] = [];
function synthDir(stacks: string[], manifest?: Record<string, { dependencies: string[]; workingDirectory?: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), "opsctl-order-"));
  dirs.push(dir);
  for (const s of stacks) {
    mkdirSync(join(dir, "stacks", s), { recursive: true });
    writeFileSync(join(dir, "stacks", s, "cdk.tf.json"), "{}");
  }
  if (manifest) {
    const body = Object.fromEntries(Object.entries(manifest).map(([name, m]) => [name, { name, workingDirectory: m.workingDirectory ?? `stacks/${name}`, dependencies: m.dependencies }]));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: body }));
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function thrown(fn: () => unknown): OpsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OpsError) return err;
    throw err;
  }
  throw new Error("expected an OpsError");
}

describe("stack order", () => {
  it("GIVEN a manifest listing services first WHEN read THEN dependencies come first: network → data → services", () => {
    const dir = synthDir(["network", "data", "services"], { services: { dependencies: ["data", "network"] }, data: { dependencies: ["network"] }, network: { dependencies: [] } });
    const order = readStackOrder(dir);
    expect(order.source).toBe("manifest");
    expect(order.stacks.map((s) => s.name)).toEqual(["network", "data", "services"]);
    expect(order.stacks[1]?.workingDirectory).toBe(join(dir, "stacks", "data"));
    expect(order.stacks[2]?.dependencies).toEqual(["data", "network"]);
  });

  it("GIVEN a manifest whose dependencies contradict the default layers WHEN read THEN the manifest wins", () => {
    const dir = synthDir(["network", "extra"], { network: { dependencies: ["extra"] }, extra: { dependencies: [] } });
    expect(readStackOrder(dir).stacks.map((s) => s.name)).toEqual(["extra", "network"]);
  });

  it("GIVEN a cycle WHEN ordering THEN exit 2 naming the cycle's path", () => {
    const err = thrown(() => topologicalOrder(new Map([["network", ["services"]], ["data", ["network"]], ["services", ["data"]]])));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain("network → services → data → network");
  });

  it("GIVEN a dependency on a stack the manifest does not list WHEN ordering THEN exit 2 with did-you-mean", () => {
    const err = thrown(() => topologicalOrder(new Map([["data", ["netwrok"]], ["network", []]])));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('did you mean "network"');
  });

  it("GIVEN a manifest naming a stack whose directory is missing WHEN read THEN exit 2 naming it", () => {
    const dir = synthDir(["network"], { network: { dependencies: [] }, data: { dependencies: ["network"] } });
    const err = thrown(() => readStackOrder(dir));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain("data (");
  });

  it("GIVEN no manifest WHEN read THEN the stacks with a cdk.tf.json run in the default order network → data → services", () => {
    const dir = synthDir(["services", "data", "network"]);
    const order = readStackOrder(dir);
    expect(order.source).toBe("default-order");
    expect(order.stacks.map((s) => s.name)).toEqual(["network", "data", "services"]);
  });

  it("GIVEN no synthesized directory WHEN read THEN exit 2 telling to run opsctl synth", () => {
    const err = thrown(() => readStackOrder(join(tmpdir(), "opsctl-does-not-exist-xyz")));
    expect(err.exitCode).toBe(2);
    expect(err.hint).toContain("opsctl synth");
  });

  it("GIVEN --stack with a typo WHEN selecting THEN exit 2 with did-you-mean and the list", () => {
    const order = readStackOrder(synthDir(["network", "data", "services"]));
    expect(selectStacks(order, "data").map((s) => s.name)).toEqual(["data"]);
    const err = thrown(() => selectStacks(order, "servics"));
    expect(err.message).toContain('did you mean "services"');
    expect(err.hint).toContain("network, data, services");
  });
});
