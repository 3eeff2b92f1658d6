import { didYouMean } from "../../../config/did-you-mean.js";
import type { EnvironmentConfig } from "../../../config/schema.js";
import { diffEnv, type EnvDrift, type SecretVersions, secretIdOf } from "../../cloud-run/env-drift.js";
import type { RevisionView, SplitEntry } from "../../cloud-run/model.js";
import { serviceFullName, serviceId } from "../../cloud-run/names.js";
import { createRunApi, type RunApi } from "../../cloud-run/run-api.js";
import { servedSplit, servingRevisions } from "../../cloud-run/traffic-split.js";
import { type CommandInput, type CommandResult, stringOption } from "../../core/command.js";
import { errorStatus, remoteError, usageError } from "../../core/errors.js";
import { SecretStore } from "../../secrets/secret-store.js";
import { resolveLiveSources } from "./live-sources.js";
import { renderVerify } from "./render-verify.js";

export interface RevisionDrift {
  revision: string;
  percent: number;
  tags: string[];
  drift: EnvDrift[];
}

export interface ServiceVerify {
  service: string;
  name: string;
  /** false when the service does not exist in the project */
  found: boolean;
  serving: SplitEntry[];
  revisions: RevisionDrift[];
}

export interface EnvVerifyResult {
  clean: boolean;
  project: string;
  region: string;
  services: ServiceVerify[];
  /** `from:` sources whose live value could not be read, with why: their values were not checked */
  unresolved: Record<string, string>;
  driftCount: number;
}

const isNotFound = (err: unknown): boolean => {
  const s = errorStatus(err);
  return s.code === 5 || s.status === 404;
};

function selectServices(config: EnvironmentConfig, only: string | undefined): string[] {
  const names = Object.keys(config.services);
  if (only === undefined) return names;
  if (!config.services[only]) throw usageError(`unknown service "${only}" in ${config.environment}${didYouMean(only, names)}`, `services in ${config.environment}: ${names.join(", ") || "(none)"}`);
  return [only];
}

export async function run({ options, ctx }: CommandInput): Promise<CommandResult<EnvVerifyResult>> {
  const config = await ctx.loadConfig();
  const keys = selectServices(config, stringOption(options, "service"));
  const project = ctx.projectId(config);
  const region = ctx.region(config);
  const redisHost = stringOption(options, "redisHost");
  const redisPort = stringOption(options, "redisPort");
  if (redisPort !== undefined && !/^\d{1,5}$/.test(redisPort)) throw usageError(`--redis-port ${redisPort} is not a port number`);

  const run = await createRunApi();
  try {
    // 1. What serves traffic, and the env of each serving revision.
    const live: Array<{ verify: ServiceVerify; revisions: Array<{ entry: RevisionDrift; view: RevisionView }> }> = [];
    for (const key of keys) {
      const name = serviceFullName(project, region, serviceId(config, key));
      live.push(await readServing(run, key, name));
    }

    // 2. The live values of the sources those contracts use, and the state of every referenced secret.
    const wanted = new Set<string>();
    for (const key of keys) for (const source of Object.values(config.services[key]?.env ?? {})) if ("from" in source) wanted.add(source.from);
    const sources = await resolveLiveSources({ config, project, region, run, ...(redisHost !== undefined ? { redisHost } : {}), ...(redisPort !== undefined ? { redisPort } : {}) }, wanted);
    const secretIds = new Set<string>();
    for (const s of live) for (const r of s.revisions) for (const v of r.view.env) if (v.secret) secretIds.add(secretIdOf(v.secret));
    const secrets = await readSecretVersions(project, secretIds);

    // 3. The diff, per serving revision.
    for (const s of live) {
      const contract = config.services[s.verify.service]?.env ?? {};
      for (const r of s.revisions) r.entry.drift = diffEnv(contract, r.view.env, { resolved: sources.values, secrets });
    }
    const services = live.map((s) => s.verify);
    const driftCount = services.reduce((n, s) => n + (s.found ? 0 : 1) + s.revisions.reduce((m, r) => m + r.drift.length, 0), 0);
    const result: EnvVerifyResult = { clean: driftCount === 0, project, region, services, unresolved: Object.fromEntries(sources.unresolved), driftCount };
    if (ctx.global.json) for (const [source, why] of sources.unresolved) ctx.log.warn(`${source} not checked: ${why}`);
    return { data: result, human: renderVerify(result), exitCode: result.clean ? 0 : 1 };
  } finally {
    await run.close();
  }
}

async function readServing(run: RunApi, key: string, name: string): Promise<{ verify: ServiceVerify; revisions: Array<{ entry: RevisionDrift; view: RevisionView }> }> {
  let view: Awaited<ReturnType<RunApi["getService"]>>["view"];
  try {
    view = (await run.getService(name)).view;
  } catch (err) {
    // A service the document declares but the project lacks is a finding, not an API failure.
    if (isNotFound(err)) return { verify: { service: key, name, found: false, serving: [], revisions: [] }, revisions: [] };
    throw remoteError(`reading Cloud Run service ${name}`, err, { runbook: "missing-env-var" });
  }
  const serving = servedSplit(view);
  const revisions: Array<{ entry: RevisionDrift; view: RevisionView }> = [];
  for (const id of servingRevisions(serving)) {
    let rev: RevisionView;
    try {
      rev = await run.getRevision(`${name}/revisions/${id}`);
    } catch (err) {
      throw remoteError(`reading revision ${id} of ${name}`, err, { runbook: "missing-env-var" });
    }
    const slices = serving.filter((s) => s.revision === id);
    revisions.push({ entry: { revision: id, percent: slices.reduce((a, s) => a + s.percent, 0), tags: slices.flatMap((s) => (s.tag ? [s.tag] : [])), drift: [] }, view: rev });
  }
  return { verify: { service: key, name, found: true, serving, revisions: revisions.map((r) => r.entry) }, revisions };
}

/** Version states only: no value is ever accessed. */
async function readSecretVersions(project: string, ids: Set<string>): Promise<Map<string, SecretVersions | null>> {
  const out = new Map<string, SecretVersions | null>();
  if (ids.size === 0) return out;
  const store = await SecretStore.open(project);
  try {
    for (const id of ids) {
      const secret = await store.getSecret(id);
      if (!secret) {
        out.set(id, null);
        continue;
      }
      const versions = await store.listVersions(id);
      out.set(id, { versions: versions.map((v) => ({ number: v.number, state: v.state })), aliases: secret.aliases });
    }
  } finally {
    await store.close();
  }
  return out;
}
