import { describe, expect, it } from "vitest";
import { OpsError } from "../core/errors.js";
import { consumerActions } from "./consumers.js";
import { generateValue, parseGenerator } from "./generate-value.js";
import { parseRotateNotification } from "./notification.js";
import { parseVerifySpec, redisAddress } from "./verifiers.js";

describe("generators", () => {
  it("GIVEN hex:32 THEN 64 hex characters; base64:24 THEN 32 characters; random THEN 32 bytes base64url", () => {
    expect(generateValue(parseGenerator("hex:32")).value).toMatch(/^[0-9a-f]{64}$/);
    expect(generateValue(parseGenerator("base64:24")).value).toHaveLength(32);
    expect(generateValue(parseGenerator("random")).value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("GIVEN rsa:2048 THEN a PKCS#8 private key and a public key", () => {
    const g = generateValue(parseGenerator("rsa:2048"));
    expect(g.value).toContain("BEGIN PRIVATE KEY");
    expect(g.publicKey).toContain("BEGIN PUBLIC KEY");
  });

  it("GIVEN a weak or unknown generator THEN a usage error", () => {
    expect(() => parseGenerator("hex:8")).toThrow(OpsError);
    expect(() => parseGenerator("rsa:1024")).toThrow(OpsError);
    expect(() => parseGenerator("uuid")).toThrow(/unknown generator/);
  });
});

describe("verify specs", () => {
  it("GIVEN http:URL, redis, cloudrun THEN they parse; a URL with credentials is refused", () => {
    expect(parseVerifySpec("http:https://graph.facebook.com/v24.0/me")).toEqual({ kind: "http", url: "https://graph.facebook.com/v24.0/me" });
    expect(parseVerifySpec("redis")).toEqual({ kind: "redis" });
    expect(parseVerifySpec("cloudrun")).toEqual({ kind: "cloudrun" });
    expect(() => parseVerifySpec("http:https://u:p@example.com/")).toThrow(/credentials/);
    expect(() => parseVerifySpec("ftp")).toThrow(/unknown verifier/);
  });

  it("GIVEN a Redis URL with a password THEN the password is dropped (the value under test replaces it)", () => {
    expect(redisAddress("rediss://:old@10.0.0.3:6378")).toMatchObject({ url: "rediss://10.0.0.3:6378", tls: true });
  });
});

describe("SECRET_ROTATE notifications", () => {
  it("GIVEN a push envelope THEN project and secret come from the attributes", () => {
    const msg = { message: { attributes: { eventType: "SECRET_ROTATE", secretId: "projects/wa-bot-prod/secrets/WHATSAPP_ACCESS_TOKEN" }, data: "" } };
    expect(parseRotateNotification(JSON.stringify(msg))).toEqual({ project: "wa-bot-prod", secretId: "WHATSAPP_ACCESS_TOKEN" });
  });

  it("GIVEN another event type THEN it is refused", () => {
    expect(() => parseRotateNotification(JSON.stringify({ attributes: { eventType: "SECRET_VERSION_ADD", secretId: "projects/p/secrets/s" } }))).toThrow(/not SECRET_ROTATE/);
  });
});

describe("consumer actions", () => {
  it("GIVEN consumers on latest and pinned THEN latest needs a new revision and a pin needs a config change", () => {
    const actions = consumerActions(
      [
        { kind: "service", name: "worker", envVar: "T", version: "latest" },
        { kind: "service", name: "webhook", envVar: "T", version: "1" },
        { kind: "job", name: "j", envVar: "T", version: "3" },
      ],
      3,
    );
    expect(actions.map((a) => a.action)).toEqual(["new-revision", "update-pin-and-deploy", "none"]);
  });
});
