import { readFile } from "node:fs/promises";
import { booleanOption, type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { usageError } from "../../core/errors.js";
import { formatTable } from "../../core/output.js";
import { registerSecret } from "../../core/redact.js";
import { actorFrom } from "../../secrets/audit-log.js";
import { createRunApi, type RunApi } from "../../cloud-run/run-api.js";
import { CloudRunConsumers, consumingServices } from "../../secrets/cloud-run-consumers.js";
import { consumersOf } from "../../secrets/consumers.js";
import { parseDuration } from "../../secrets/durations.js";
import { parseRotateNotification } from "../../secrets/notification.js";
import { type ConsumerRoller, type RotateResult, rotateSecret } from "../../secrets/rotate-secret.js";
import { openSecretsSession, secretConfig } from "../../secrets/session.js";
import { chooseValueSource, valueObtainer } from "../../secrets/value-source.js";
import { buildVerifier, parseVerifySpec } from "../../secrets/verifiers.js";

export interface RotatePlanResult {
  dryRun: true;
  secret: string;
  project: string;
  valueFrom: string;
  verify: string | undefined;
  graceHours: number;
  steps: string[];
  consumers: ReturnType<typeof consumersOf>;
  /** the services finish would roll onto a new revision */
  rollConsumers: string[];
}

async function readText(source: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (source !== "-") return readFile(source, "utf8").catch((err: NodeJS.ErrnoException) => Promise.reject(usageError(`cannot read --from-notification ${source}: ${err.code ?? "error"}`)));
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

export function redisUrlFrom(option: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (option) return option;
  if (env.OPSCTL_REDIS_URL) return env.OPSCTL_REDIS_URL;
  if (env.REDIS_HOST) return `${env.REDIS_TLS === "true" ? "rediss" : "redis"}://${env.REDIS_HOST}:${env.REDIS_PORT ?? "6379"}`;
  return undefined;
}

export async function run({ args, options, ctx }: CommandInput): Promise<CommandResult<RotateResult | RotatePlanResult>> {
  const argvValue = stringOption(options, "value") ?? (args.length > 1 ? args.slice(1).join(" ") : undefined);
  if (argvValue !== undefined) {
    registerSecret(argvValue);
    throw usageError("refusing a secret value on the command line: it is already in your shell history and visible in `ps`", "treat that value as leaked (runbooks/secret-leaked.md); pass values with --from-stdin or --from-file");
  }
  const notificationSource = stringOption(options, "fromNotification");
  let secretId = args[0];
  const notification = notificationSource !== undefined ? parseRotateNotification(await readText(notificationSource, ctx.stdin)) : undefined;
  if (notification) {
    if (secretId && secretId !== notification.secretId) throw usageError(`the notification is for ${notification.secretId}, not ${secretId}`);
    secretId = notification.secretId;
  }
  if (!secretId) throw usageError("which secret? pass its key, e.g. `opsctl secrets rotate WHATSAPP_ACCESS_TOKEN --env prod ...`, or --from-notification");

  const config = await ctx.loadConfig();
  const secret = secretConfig(config, secretId);
  const projectId = ctx.projectId(config);
  if (notification && notification.project !== projectId) {
    throw usageError(`the notification is for project ${notification.project}, but this environment is ${projectId}`, "run the rotation job of that project's environment");
  }
  const source = chooseValueSource(
    { fromStdin: booleanOption(options, "fromStdin"), fromFile: stringOption(options, "fromFile"), generate: stringOption(options, "generate"), provider: stringOption(options, "provider") },
    secret,
    secretId,
  );
  const verifyText = stringOption(options, "verify") ?? secret.verify;
  const verifySpec = verifyText ? parseVerifySpec(verifyText) : undefined;
  const caFile = stringOption(options, "redisCaFile") ?? process.env.OPSCTL_REDIS_CA_FILE;
  const redisCa = verifySpec?.kind === "redis" && caFile ? await readFile(caFile, "utf8").catch((err: NodeJS.ErrnoException) => Promise.reject(usageError(`cannot read --redis-ca-file ${caFile}: ${err.code ?? "error"}`))) : undefined;
  const consumers = consumersOf(config, secretId);
  const services = consumingServices(consumers);
  let api: Promise<RunApi> | undefined;
  const cloudRun = new CloudRunConsumers(() => (api ??= createRunApi()), config, projectId, ctx.region(config));
  const candidates = {
    services: services.map((s) => s.service),
    checkService: async (service: string, input: { secretId: string; version: number; signal: AbortSignal }) => {
      const target = services.find((s) => s.service === service);
      if (!target) throw usageError(`service ${service} does not read ${secretId}`);
      return cloudRun.checkCandidate(target, input.secretId, input.version, input.signal);
    },
  };
  const verifier = verifySpec ? buildVerifier(verifySpec, { redisUrl: redisUrlFrom(stringOption(options, "redisUrl"), process.env), redisCa, candidates }) : undefined;
  const graceText = stringOption(options, "grace");
  const graceMs = graceText ? parseDuration(graceText, "--grace") : secret.graceHours * 3_600_000;
  // env-var secrets are read at instance start: services on `latest` need a new revision to drop the old value
  const rollTargets = services.filter((s) => s.version === "latest");
  const roll = options.rollConsumers !== false && rollTargets.length > 0;
  const roller: ConsumerRoller | undefined = roll
    ? {
        services: rollTargets.map((s) => s.service),
        rollService: (service, input) => {
          const target = rollTargets.find((s) => s.service === service);
          if (!target) throw usageError(`service ${service} does not read ${secretId}`);
          return cloudRun.roll(target, input.secretId, "roll", input.version, input.reads, input.signal);
        },
      }
    : undefined;
  const rollPlan = roll
    ? `roll ${rollTargets.map((s) => s.service).join(", ")} onto a new revision reading latest (= the new version), Ready + health-gated, then`
    : rollTargets.length > 0
      ? "consumers NOT rolled (--no-roll-consumers): running instances keep the old value until their next start;"
      : "no service reads latest: nothing to roll;";
  const valueFrom = source.kind === "provider" ? `provider ${source.provider}` : source.kind === "generate" ? `generator ${source.spec}` : source.kind;

  if (ctx.global.dryRun) {
    const plan: RotatePlanResult = {
      dryRun: true,
      secret: secretId,
      project: projectId,
      valueFrom,
      verify: verifier?.label,
      graceHours: graceMs / 3_600_000,
      steps: [
        `create: add a version to projects/${projectId}/secrets/${secretId} (value from ${valueFrom}); alias pending`,
        "set: nothing to change outside Secret Manager",
        `test: ${verifier ? verifier.label : "skipped (no --verify)"}; a refused value disables the new version`,
        `finish: ${rollPlan} alias current → new, previous → old (prune disables it after ${graceMs / 3_600_000}h)`,
      ],
      consumers,
      rollConsumers: roll ? rollTargets.map((s) => s.service) : [],
    };
    return { data: plan, human: `dry run: nothing changed\n${plan.steps.map((s) => `  ${s}`).join("\n")}\nconsumers: ${consumers.map((c) => `${c.kind} ${c.name} (${c.envVar}@${c.version})`).join(", ") || "none"}` };
  }

  await ctx.confirm(`rotate ${secretId} in ${config.environment} (project ${projectId}): add a version from ${valueFrom}, ${verifier ? `test with ${verifier.label}` : "no test"}, then point ${consumers.length} consumer(s) at it${roll ? ` (new revisions of ${rollTargets.map((s) => s.service).join(", ")})` : ""}`, [
    `printf %s "$NEW" | gcloud secrets versions add ${secretId} --project ${projectId} --data-file=-`,
    ...(roll ? rollTargets.map((s) => `gcloud run services update ${cloudRun.serviceId(s.service)} --update-secrets ${s.envVars.map((v) => `${v}=${secretId}:latest`).join(",")} --region ${ctx.region(config)} --project ${projectId}`) : []),
  ]);

  const session = await openSecretsSession(ctx);
  try {
    const audit = await session.audit();
    const result = await rotateSecret(
      {
        secretId,
        consumers,
        graceMs,
        verifier,
        actor: actorFrom(process.env),
        roller,
        obtainValue: valueObtainer(source, { secretId, secret, store: session.store, stdin: ctx.stdin }),
      },
      { store: session.store, audit, log: ctx.log, signal: ctx.signal },
    );
    return { data: result, human: humanRotate(result), exitCode: result.outcome === "rotated" ? 0 : 1 };
  } finally {
    await session.close();
    if (api) await (await api.catch(() => undefined))?.close();
  }
}

function humanRotate(r: RotateResult): string {
  const lines: string[] = [];
  if (r.outcome === "rotated") lines.push(`✓ ${r.secret} rotated${r.resumed ? " (resumed)" : ""}: v${r.fromVersion ?? "-"} → v${r.version}`);
  else lines.push(`✗ ${r.secret} not rotated, the new value v${r.version} failed its test; v${r.version} is disabled and consumers are untouched`);
  lines.push(formatTable(["step", "outcome", "version", "detail"], r.steps.map((s) => [s.step, s.outcome, s.version, s.detail])));
  if (r.restoredVersion !== undefined) lines.push(`latest now reads v${r.restoredVersion} (a copy of v${r.fromVersion})`);
  if (r.previousDisableAfter) lines.push(`previous v${r.fromVersion} stays enabled until ${r.previousDisableAfter}; \`opsctl secrets prune\` disables it after that`);
  if (r.expiresInSeconds !== undefined) lines.push(`the new token expires in ${Math.round(r.expiresInSeconds / 86_400)} days`);
  if (r.publicKey) lines.push(`public key (upload where the private key is used):\n${r.publicKey.trimEnd()}`);
  if (r.rolled.length > 0) {
    lines.push("services rolled onto a new revision:");
    lines.push(formatTable(["service", "revision", "reads", "outcome"], r.rolled.map((c) => [c.service, c.revision, c.reads, c.outcome])));
  }
  if (r.consumers.length > 0) {
    lines.push("consumers (Cloud Run reads env-var secrets at instance start):");
    lines.push(formatTable(["kind", "name", "env", "reads", "action"], r.consumers.map((c) => [c.kind, c.name, c.envVar, c.version, c.note])));
  }
  return lines.join("\n");
}
