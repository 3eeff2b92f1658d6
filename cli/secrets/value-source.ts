/**
 * Where a new value comes from: stdin, a file, a generator, or the secret's provider hook. Never
 * argv (a value there is in shell history and `ps` for everyone on the machine).
 */
import { readFile } from "node:fs/promises";
import type { SecretConfig } from "../../config/schema.js";
import { usageError } from "../core/errors.js";
import { registerSecret } from "../core/redact.js";
import { generateValue, parseGenerator } from "./generate-value.js";
import { DEFAULT_GRAPH_API_BASE_URL, DEFAULT_GRAPH_API_VERSION, exchangeMetaToken } from "./meta-token.js";
import type { ObtainedValue, RotateInput } from "./rotate-secret.js";
import type { SecretStore } from "./secret-store.js";

export type ValueSourceSpec =
  | { kind: "stdin" }
  | { kind: "file"; path: string }
  | { kind: "generate"; spec: string }
  | { kind: "provider"; provider: SecretConfig["provider"] };

export function chooseValueSource(options: { fromStdin: boolean; fromFile?: string; generate?: string; provider?: string }, secret: SecretConfig, secretId: string): ValueSourceSpec {
  const given = [options.fromStdin, options.fromFile !== undefined, options.generate !== undefined, options.provider !== undefined].filter(Boolean).length;
  if (given > 1) throw usageError("choose one of --from-stdin, --from-file, --generate, --provider");
  if (options.fromStdin) return { kind: "stdin" };
  if (options.fromFile !== undefined) return { kind: "file", path: options.fromFile };
  if (options.generate !== undefined) return { kind: "generate", spec: options.generate };
  const provider = (options.provider ?? secret.provider) as SecretConfig["provider"];
  if (!["manual", "random", "hex", "base64", "rsa", "meta-token"].includes(provider)) throw usageError(`unknown provider ${JSON.stringify(provider)}`, "use random, hex, base64, rsa or meta-token");
  if (provider === "manual") {
    throw usageError(`${secretId} has provider manual: give the new value on stdin or in a file`, `printf %s "$NEW" | opsctl secrets rotate ${secretId} --from-stdin ...  (never as an argument)`);
  }
  return { kind: "provider", provider };
}

/** Strip one trailing newline (`echo` adds it; a token with "\n" fails every API call). */
function trimValue(raw: string, where: string): string {
  const value = raw.includes("PRIVATE KEY-----") ? raw : raw.replace(/\r?\n$/, "");
  if (value.trim() === "") throw usageError(`the new value from ${where} is empty`, "nothing was changed");
  return value;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

export function valueObtainer(spec: ValueSourceSpec, deps: { secretId: string; secret: SecretConfig; store: SecretStore; stdin: NodeJS.ReadableStream & { isTTY?: boolean } }): RotateInput["obtainValue"] {
  return async (current): Promise<ObtainedValue> => {
    switch (spec.kind) {
      case "stdin": {
        if (deps.stdin.isTTY) throw usageError("--from-stdin reads a pipe, not a terminal", `printf %s "$NEW" | opsctl secrets rotate ${deps.secretId} --from-stdin ...`);
        const value = trimValue(await readAll(deps.stdin), "stdin");
        registerSecret(value);
        return { value, source: "stdin" };
      }
      case "file": {
        let raw: string;
        try {
          raw = await readFile(spec.path, "utf8");
        } catch (err) {
          throw usageError(`cannot read --from-file ${spec.path}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
        }
        const value = trimValue(raw, spec.path);
        registerSecret(value);
        return { value, source: "file" };
      }
      case "generate": {
        const g = parseGenerator(spec.spec, deps.secret.size);
        const made = generateValue(g);
        registerSecret(made.value);
        return { value: made.value, source: `generator ${g.kind}:${g.size}`, publicKey: made.publicKey };
      }
      case "provider": {
        if (spec.provider === "meta-token") {
          const meta = deps.secret.meta;
          if (!meta) throw usageError(`secrets.${deps.secretId}.meta is missing: provider meta-token needs appId and appSecretFrom`, "add `meta: { appId: \"<id>\", appSecretFrom: <SECRET_KEY> }` to the secret in the environment document");
          if (!current.version) throw usageError(`${deps.secretId} has no current version to exchange`, "store the first token by hand: printf %s \"$TOKEN\" | opsctl secrets rotate ... --from-stdin");
          const currentToken = await current.read();
          const appSecret = await deps.store.access(meta.appSecretFrom, "latest");
          const exchanged = await exchangeMetaToken({
            baseUrl: meta.graphApiBaseUrl ?? DEFAULT_GRAPH_API_BASE_URL,
            version: meta.graphApiVersion ?? DEFAULT_GRAPH_API_VERSION,
            appId: meta.appId,
            appSecret,
            currentToken,
          });
          return { value: exchanged.token, source: `provider meta-token (${meta.graphApiVersion})`, expiresInSeconds: exchanged.expiresInSeconds };
        }
        if (spec.provider === "manual") throw usageError("provider manual has no generator");
        const g = parseGenerator(spec.provider, deps.secret.size);
        const made = generateValue(g);
        registerSecret(made.value);
        return { value: made.value, source: `provider ${g.kind}:${g.size}`, publicKey: made.publicKey };
      }
    }
  };
}
