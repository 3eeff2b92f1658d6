import { describe, expect, it } from "vitest";
import { environmentSchema } from "../../../config/schema.js";
import { dlqTargets } from "./dlq-targets.js";
import { matchesFilters, parseFilters } from "./message-filter.js";
import { parseRate } from "./rate-limit.js";
import { REPLAYED_AT_ATTRIBUTE, replayAttributes } from "./replay-loop.js";

const config = environmentSchema.parse({
  environment: "t",
  stage: "dev",
  project: { id: "proj-test", region: "southamerica-east1" },
  namePrefix: "t",
  network: { subnetCidr: "10.0.0.0/24", privateServiceRange: "10.1.0.0/16", egress: "direct" },
  redis: {},
  firestore: { location: "southamerica-east1" },
  topics: {
    inbound: { subscriptions: { a: { deadLetter: {} }, b: { deadLetter: { topic: "inbound-poison" } } } },
    audit: { subscriptions: { c: { deadLetter: {} } } },
  },
});

describe("dlqTargets", () => {
  it("GIVEN default and explicit dead-letter topics THEN each DLQ is read through <dlq-topic>-sub", () => {
    expect(dlqTargets(config, {})).toEqual([
      { topic: "inbound", sourceSubscriptions: ["a"], dlqTopic: "inbound-dlq", dlqSubscription: "inbound-dlq-sub" },
      { topic: "inbound", sourceSubscriptions: ["b"], dlqTopic: "inbound-poison", dlqSubscription: "inbound-poison-sub" },
      { topic: "audit", sourceSubscriptions: ["c"], dlqTopic: "audit-dlq", dlqSubscription: "audit-dlq-sub" },
    ]);
  });

  it("GIVEN --topic, --subscription and --dlq-subscription THEN the selection narrows and the override wins", () => {
    expect(dlqTargets(config, { topic: "inbound", subscription: "b", dlqSubscription: "custom" })).toEqual([{ topic: "inbound", sourceSubscriptions: ["b"], dlqTopic: "inbound-poison", dlqSubscription: "custom" }]);
  });

  it("GIVEN an unknown topic THEN a usage error with did-you-mean", () => {
    expect(() => dlqTargets(config, { topic: "inbond" })).toThrow(/did you mean "inbound"/);
  });
});

describe("replay options", () => {
  it("GIVEN rates THEN they are messages per second", () => {
    expect(parseRate("50/s")).toBe(50);
    expect(parseRate("120/m")).toBe(2);
    expect(parseRate("7")).toBe(7);
    expect(() => parseRate("fast")).toThrow(/not a rate/);
    expect(() => parseRate("0/s")).toThrow(/not a rate/);
  });

  it("GIVEN filters THEN every attr=value must match (values may contain =)", () => {
    const filters = parseFilters(["kind=text", "q=a=b"]);
    expect(matchesFilters({ kind: "text", q: "a=b" }, filters)).toBe(true);
    expect(matchesFilters({ kind: "text" }, filters)).toBe(false);
    expect(() => parseFilters(["novalue"])).toThrow(/attr=value/);
  });

  it("GIVEN a replayed message THEN its attributes are kept and opsctl-replayed-at is added", () => {
    expect(replayAttributes({ a: "1" }, new Date("2026-01-02T03:04:05Z"))).toEqual({ a: "1", [REPLAYED_AT_ATTRIBUTE]: "2026-01-02T03:04:05.000Z" });
  });
});
