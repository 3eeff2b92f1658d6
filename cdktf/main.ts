/**
 * The CDKTF app: synthesizes the network, data and services stacks of one environment, then runs
 * the policy rules on what it wrote. Run by `opsctl synth` (as a child process, so the CLI never
 * loads provider bindings), by `npm run synth`, and by `cdktf synth` through cdktf.json.
 *
 * Input (environment variables): OPSCTL_CONFIG_STDIN=1 or OPSCTL_CONFIG_JSON (a document
 * `opsctl synth` validated, on stdin or in the variable),
 * OPSCTL_CONFIG_FILE, or OPSCTL_ENV (config/<env>.yaml, under OPSCTL_CONFIG_DIR); OPSCTL_OUT
 * (default cdktf.out, CDKTF_OUTDIR when cdktf sets it); OPSCTL_SKIP_POLICY=1 leaves the rules to
 * the caller. Exit 0 ok, 1 policy errors, 2 bad input.
 */
import { enableCompileCache } from "node:module";
import type { EnvironmentConfig } from "../config/schema.js";

// Most of a synth is compiling the provider bindings: cache the compiled code between runs.
enableCompileCache?.();

// cdktf 0.21 (archived upstream, no fix coming) calls util.isArray when it synthesizes a
// TerraformOutput, and Node 24 prints DEP0044 on every synth. Drop that one warning only.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (rest[1] === "DEP0044") return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A document `opsctl synth` validated already (schema + rules), as JSON on stdin or in the env. */
const prevalidated = process.env.OPSCTL_CONFIG_STDIN === "1" || process.env.OPSCTL_CONFIG_JSON !== undefined;
// Loading the app (cdktf + provider bindings) overlaps with the CLI validating the document.
const appLoading = prevalidated ? import("./app.js") : undefined;

/** The document to synthesize: already validated by `opsctl synth` (JSON), or loaded here. */
async function environmentDocument(): Promise<unknown> {
  if (process.env.OPSCTL_CONFIG_STDIN === "1") {
    const text = await readStdin();
    // The CLI closes stdin without a document when validation failed; it reports that itself.
    if (text.trim() === "") process.exit(2);
    return JSON.parse(text) as unknown;
  }
  // `opsctl synth` validated the document already; taking it as JSON saves loading YAML, the
  // schema and the config rules a second time.
  if (process.env.OPSCTL_CONFIG_JSON) return JSON.parse(process.env.OPSCTL_CONFIG_JSON) as unknown;
  const { environmentFile, loadConfigFile } = await import("../config/load.js");
  const file = process.env.OPSCTL_CONFIG_FILE ?? (process.env.OPSCTL_ENV ? environmentFile(process.env.OPSCTL_ENV) : undefined);
  if (!file) fail("no environment selected: set OPSCTL_ENV (config/<env>.yaml) or OPSCTL_CONFIG_FILE", 2);
  const loaded = loadConfigFile(file);
  for (const issue of loaded.issues) process.stderr.write(`${issue.severity} ${issue.path}: ${issue.message}\n`);
  if (!loaded.config) fail(`${file} is invalid; run \`opsctl config validate\` for details`, 2);
  return loaded.config;
}

const document = await environmentDocument();
const outdir = process.env.OPSCTL_OUT ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
// Imported after the config is known to be valid, so a bad document fails fast.
const { SynthInputError } = await import("./synth-input-error.js");
try {
  if (appLoading) (await appLoading).synthStacks(document as EnvironmentConfig, outdir);
  else (await import("./synth-environment.js")).synthEnvironment(document, outdir);
} catch (err) {
  if (err instanceof SynthInputError) fail(`synth refused: ${err.message}`, 2);
  throw err;
}

if (process.env.OPSCTL_SKIP_POLICY !== "1") {
  const { blocking, formatFinding, lintDirectory } = await import("./validation/run-rules.js");
  const { findings } = lintDirectory(outdir);
  for (const f of findings) process.stderr.write(`${formatFinding(f)}\n`);
  if (blocking(findings).length > 0) process.exit(1);
}
