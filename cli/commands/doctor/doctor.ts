import { booleanOption, type CommandInput, type CommandResult } from "../../core/command.js";
import { formatTable } from "../../core/output.js";
import { findEmulator, findExecutable, INSTALL_HINTS } from "../../core/prerequisites.js";
import { findAdc, overriddenEndpoints } from "../../core/google-clients.js";
import { errorMessage } from "../../core/errors.js";

export type CheckStatus = "ok" | "warn" | "fail";

export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  /** what to run to fix it */
  fix?: string;
  /** needed to run opsctl itself (fail) or only its tests / some commands (warn) */
  required: boolean;
}

export interface DoctorResult {
  checks: DoctorCheck[];
  endpoints: Record<string, string>;
  healthy: boolean;
}

const MIN_NODE_MAJOR = 22;

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<DoctorResult>> {
  const checks: DoctorCheck[] = [];
  const major = Number(process.versions.node.split(".")[0]);
  checks.push({
    name: "node",
    status: major >= MIN_NODE_MAJOR ? "ok" : "fail",
    detail: `v${process.versions.node}${major >= MIN_NODE_MAJOR ? "" : ` (need >= ${MIN_NODE_MAJOR})`}`,
    fix: major >= MIN_NODE_MAJOR ? undefined : "install Node.js 24 LTS (or run .ci/run, which fetches it)",
    required: true,
  });

  if (!booleanOption(options, "skipConfig")) checks.push(await configCheck(ctx));

  const adc = await findAdc();
  checks.push({
    name: "credentials",
    status: adc.found ? "ok" : "warn",
    detail: adc.found ? `Application Default Credentials: ${adc.source}` : "no Application Default Credentials (commands that call Google will fail; emulators and fakes need none)",
    fix: adc.found ? undefined : "gcloud auth application-default login   (or set GOOGLE_APPLICATION_CREDENTIALS)",
    required: false,
  });

  const binaries: [string, keyof typeof INSTALL_HINTS, string][] = [
    ["redis-server", "redis-server", "integration tests, idempotency check against a local Redis"],
    ["java", "java", "the Firestore and Pub/Sub emulators"],
    ["gcloud", "gcloud", "emulators, and the gcloud steps of the runbooks"],
    ["terraform", "terraform", "state doctor/cleanup, plan/apply (tofu also accepted)"],
  ];
  for (const [name, hint, why] of binaries) {
    const path = findExecutable(name) ?? (name === "terraform" ? findExecutable("tofu") : undefined);
    checks.push({ name, status: path ? "ok" : "warn", detail: path ? path : `not found (needed for ${why})`, fix: path ? undefined : INSTALL_HINTS[hint], required: false });
  }
  for (const kind of ["firestore", "pubsub"] as const) {
    const found = findEmulator(kind);
    checks.push({ name: `${kind}-emulator`, status: found ? "ok" : "warn", detail: found ? found.path : "not installed (integration tests need it)", fix: found ? undefined : INSTALL_HINTS[kind], required: false });
  }

  const endpoints = overriddenEndpoints();
  checks.push({
    name: "endpoints",
    status: "ok",
    detail: Object.keys(endpoints).length === 0 ? "all Google defaults" : Object.entries(endpoints).map(([k, v]) => `${k} → ${v}`).join(", "),
    required: false,
  });

  const healthy = checks.every((c) => c.status !== "fail");
  const mark = { ok: "✓", warn: "!", fail: "✗" } as const;
  const table = formatTable(
    ["", "check", "detail"],
    checks.map((c) => [mark[c.status], c.name, c.detail]),
  );
  const fixes = checks.filter((c) => c.fix).map((c) => `  ${c.name}: ${c.fix}`);
  const human = `${table}\n${fixes.length ? `\nto fix:\n${fixes.join("\n")}\n` : ""}\n${healthy ? "opsctl can run on this machine." : "opsctl cannot run here until the ✗ items are fixed."}`;
  return { data: { checks, endpoints, healthy }, human, exitCode: healthy ? 0 : 1 };
}

async function configCheck(ctx: CommandInput["ctx"]): Promise<DoctorCheck> {
  const { configDir, environmentFile, listEnvironments, loadConfigFile } = await import("../../../config/load.js");
  try {
    const envs = ctx.global.config ? [] : ctx.global.env ? [ctx.global.env] : listEnvironments();
    const files = ctx.global.config ? [ctx.global.config] : envs.map((e) => environmentFile(e, configDir()));
    if (files.length === 0) return { name: "config", status: "warn", detail: `no environment documents in ${configDir()}`, fix: "create config/<env>.yaml (see README: Configuration)", required: false };
    const bad = files.map((f) => loadConfigFile(f)).filter((l) => l.config === undefined);
    if (bad.length === 0) return { name: "config", status: "ok", detail: `${files.length} environment document(s) valid`, required: true };
    return { name: "config", status: "fail", detail: `${bad.map((b) => b.file).join(", ")} invalid`, fix: "opsctl config validate --env <name> lists every problem", required: true };
  } catch (err) {
    return { name: "config", status: "fail", detail: errorMessage(err), fix: "opsctl config validate --env <name>", required: true };
  }
}
