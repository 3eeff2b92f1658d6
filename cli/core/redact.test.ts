import { afterEach, describe, expect, it } from "vitest";
import { clearRegisteredSecrets, redact, registerSecret } from "./redact.js";

afterEach(() => clearRegisteredSecrets());

describe("redact", () => {
  it("GIVEN a registered value WHEN it appears anywhere in text THEN it is masked", () => {
    registerSecret("s3cr3t-value-42");
    expect(redact('{"token":"s3cr3t-value-42"} and again s3cr3t-value-42')).toBe('{"token":"***"} and again ***');
  });

  it("GIVEN credential shapes THEN they are masked without registration", () => {
    expect(redact("redis://default:hunter2pass@10.0.0.3:6379")).toBe("redis://default:***@10.0.0.3:6379");
    expect(redact("Authorization: Bearer abc.def-ghi")).toBe("Authorization: Bearer ***");
    expect(redact(`token EAA${"x".repeat(40)} end`)).toBe("token *** end");
    expect(redact("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")).toBe("-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----");
    expect(redact('"access_token": "zzz"')).toBe('"access_token": "***"');
  });

  it("GIVEN ordinary text THEN it is unchanged", () => {
    expect(redact("redis://10.0.0.3:6379 ok, 3 keys")).toBe("redis://10.0.0.3:6379 ok, 3 keys");
  });
});

describe("redact keeps JSON valid", () => {
  it("GIVEN a JSON document with secret-named keys and registered values THEN it still parses after masking", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----";
    registerSecret(pem);
    const doc = { WHATSAPP_ACCESS_TOKEN: { secret: "WHATSAPP_ACCESS_TOKEN" }, password: "pa55word!", key: pem, url: "redis://u:p4ss@h:1" };
    const masked = redact(JSON.stringify(doc, null, 2));
    const parsed = JSON.parse(masked);
    expect(parsed.WHATSAPP_ACCESS_TOKEN).toEqual({ secret: "WHATSAPP_ACCESS_TOKEN" });
    expect(parsed.password).toBe("***");
    expect(parsed.key).toBe("***");
    expect(parsed.url).toBe("redis://u:***@h:1");
    expect(masked).not.toContain("pa55word");
  });
});
