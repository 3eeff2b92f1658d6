import { describe, expect, it } from "vitest";
import { idTokenAuth, noAuth } from "./probe.js";

describe("probe authentication", () => {
  it("sends no token to public services or to a plain-HTTP Cloud Run endpoint (the fake)", () => {
    expect(idTokenAuth(true, {})).toBe(noAuth);
    expect(idTokenAuth(false, { OPSCTL_RUN_ENDPOINT: "http://127.0.0.1:9" })).toBe(noAuth);
  });

  it("asks for an ID token for private services on Google's endpoint", () => {
    expect(idTokenAuth(false, {})).not.toBe(noAuth);
  });
});
