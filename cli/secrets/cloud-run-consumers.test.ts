import { describe, expect, it } from "vitest";
import { consumingServices, rollRevisionStem } from "./cloud-run-consumers.js";
import { consumerActions, referenceFor } from "./consumers.js";
import { type CandidateRevisionCheck, cloudrunVerifier } from "./verifiers.js";

describe("consuming services", () => {
  it("GIVEN env vars of services and a job THEN one entry per service with its env vars; jobs are not rolled", () => {
    const services = consumingServices([
      { kind: "service", name: "webhook", envVar: "A", version: "latest" },
      { kind: "service", name: "webhook", envVar: "B", version: "latest" },
      { kind: "service", name: "worker", envVar: "A", version: "2" },
      { kind: "job", name: "refresh", envVar: "A", version: "latest" },
    ]);
    expect(services).toEqual([
      { service: "webhook", envVars: ["A", "B"], version: "latest" },
      { service: "worker", envVars: ["A"], version: "2" },
    ]);
  });

  it("GIVEN rolled services THEN their action is none; a job on latest reads the new version at its next execution", () => {
    const actions = consumerActions(
      [
        { kind: "service", name: "webhook", envVar: "A", version: "latest" },
        { kind: "job", name: "refresh", envVar: "A", version: "latest" },
      ],
      4,
      new Set(["webhook"]),
    );
    expect(actions.map((a) => a.action)).toEqual(["none", "none"]);
    expect(actions[0]?.note).toContain("rolled");
  });
});

describe("version reference of a roll", () => {
  it("GIVEN the target is the newest version THEN latest; otherwise the number (latest would read another version)", () => {
    expect(referenceFor(5, 5)).toBe("latest");
    expect(referenceFor(3, 5)).toBe("3");
    expect(referenceFor(3, undefined)).toBe("3");
  });

  it("GIVEN a secret and version THEN the stem is stable, differs by purpose, and is a valid revision name part", () => {
    expect(rollRevisionStem("roll", "TOKEN", 2)).toBe(rollRevisionStem("roll", "TOKEN", 2));
    expect(rollRevisionStem("roll", "TOKEN", 2)).not.toBe(rollRevisionStem("back", "TOKEN", 2));
    expect(rollRevisionStem("roll", "TOKEN", 2)).toMatch(/^sr2-[0-9a-f]{6}$/);
  });
});

describe("--verify cloudrun", () => {
  function checks(results: Record<string, boolean>): CandidateRevisionCheck & { seen: string[] } {
    const seen: string[] = [];
    return {
      seen,
      services: Object.keys(results),
      async checkService(service, { version }) {
        seen.push(`${service}@${version}`);
        return { ok: results[service] === true, detail: `${service} ${results[service] ? "healthy" : "failed"}` };
      },
    };
  }

  it("GIVEN every candidate healthy THEN ok, each service checked with the new version", async () => {
    const c = checks({ webhook: true, worker: true });
    const outcome = await cloudrunVerifier(c).verify("ignored", { secretId: "S", version: 7, signal: new AbortController().signal });
    expect(outcome.ok).toBe(true);
    expect(c.seen).toEqual(["webhook@7", "worker@7"]);
  });

  it("GIVEN the first candidate fails THEN not ok and the next service is not tried", async () => {
    const c = checks({ webhook: false, worker: true });
    const outcome = await cloudrunVerifier(c).verify("ignored", { secretId: "S", version: 7, signal: new AbortController().signal });
    expect(outcome).toEqual({ ok: false, detail: "webhook failed" });
    expect(c.seen).toEqual(["webhook@7"]);
  });
});
