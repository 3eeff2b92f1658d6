/**
 * Values opsctl makes itself: random bytes (base64url), hex, base64, or an RSA key pair (the secret
 * holds the PKCS#8 private key; the public key is returned separately because it is not secret and
 * has to be uploaded elsewhere, e.g. to Meta for WhatsApp Flows encryption).
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { usageError } from "../core/errors.js";

export type GeneratorKind = "random" | "hex" | "base64" | "rsa";

export interface Generator {
  kind: GeneratorKind;
  /** bytes for random/hex/base64, modulus bits for rsa */
  size: number;
}

export interface GeneratedValue {
  value: string;
  publicKey?: string;
}

const DEFAULT_SIZE: Record<GeneratorKind, number> = { random: 32, hex: 32, base64: 32, rsa: 2048 };

/** "hex:32", "rsa:2048", "random" */
export function parseGenerator(spec: string, fallbackSize?: number): Generator {
  const [kind, size] = spec.split(":");
  if (kind !== "random" && kind !== "hex" && kind !== "base64" && kind !== "rsa") {
    throw usageError(`unknown generator ${JSON.stringify(kind)}`, "use random[:BYTES], hex[:BYTES], base64[:BYTES] or rsa[:BITS]");
  }
  const n = size === undefined ? (fallbackSize ?? DEFAULT_SIZE[kind]) : Number(size);
  if (!Number.isInteger(n)) throw usageError(`generator size ${JSON.stringify(size)} is not a whole number`);
  if (kind === "rsa" && (n < 2048 || n > 8192 || n % 1024 !== 0)) throw usageError(`rsa:${n} is not allowed`, "use rsa:2048, rsa:3072 or rsa:4096");
  if (kind !== "rsa" && (n < 16 || n > 1024)) throw usageError(`${kind}:${n} is outside 16..1024 bytes`, "16 bytes is the minimum for a secret that must not be guessed");
  return { kind, size: n };
}

export function generateValue(g: Generator): GeneratedValue {
  switch (g.kind) {
    case "random":
      return { value: randomBytes(g.size).toString("base64url") };
    case "hex":
      return { value: randomBytes(g.size).toString("hex") };
    case "base64":
      return { value: randomBytes(g.size).toString("base64") };
    case "rsa": {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", {
        modulusLength: g.size,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      });
      return { value: privateKey, publicKey };
    }
  }
}
