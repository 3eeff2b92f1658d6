import { describe, expect, it } from "vitest";
import { endpointFor, gaxClientOptions, overriddenEndpoints } from "./google-clients.js";
import { retryCallOptions, RETRY_CODES } from "./retry-policy.js";

describe("Google endpoints", () => {
  it("GIVEN no override THEN the Google default is used", () => {
    expect(endpointFor("run", {})).toMatchObject({ baseUrl: "https://run.googleapis.com", overridden: false });
  });

  it("GIVEN an http:// override THEN the client goes through REST to it without credentials", async () => {
    const env = { OPSCTL_SECRETMANAGER_ENDPOINT: "http://127.0.0.1:8123" };
    expect(endpointFor("secretmanager", env)).toMatchObject({ host: "127.0.0.1", port: 8123, plainHttp: true, overridden: true });
    const options = (await gaxClientOptions("secretmanager", env)) as Record<string, unknown>;
    expect(options).toMatchObject({ fallback: "rest", protocol: "http", apiEndpoint: "127.0.0.1", port: 8123 });
    expect(options.authClient).toBeDefined();
  });

  it("GIVEN an https private endpoint THEN ADC is kept (no pass-through auth)", async () => {
    const options = (await gaxClientOptions("run", { OPSCTL_RUN_ENDPOINT: "https://run.internal.example:8443" })) as Record<string, unknown>;
    expect(options).toEqual({ apiEndpoint: "run.internal.example", port: 8443 });
  });

  it("lists emulators and overrides for doctor", () => {
    expect(overriddenEndpoints({ PUBSUB_EMULATOR_HOST: "127.0.0.1:8085", OPSCTL_COMPUTE_ENDPOINT: "http://127.0.0.1:9" })).toEqual({ pubsub: "127.0.0.1:8085 (emulator)", compute: "http://127.0.0.1:9" });
  });
});

describe("retry policy", () => {
  it("retries contention, unavailability and quota for writes; also deadline for reads", async () => {
    const write = await retryCallOptions("write");
    const read = await retryCallOptions("read");
    expect(write.retry?.retryCodes?.sort()).toEqual([RETRY_CODES.ABORTED, RETRY_CODES.UNAVAILABLE, RETRY_CODES.RESOURCE_EXHAUSTED].sort());
    expect(read.retry?.retryCodes).toContain(RETRY_CODES.DEADLINE_EXCEEDED);
    expect(write.retry?.retryCodes).not.toContain(6); // ALREADY_EXISTS is a 409 too, but never transient
    expect(write.retry?.backoffSettings?.retryDelayMultiplier).toBeGreaterThan(1);
  });
});
