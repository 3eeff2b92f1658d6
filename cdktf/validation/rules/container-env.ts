/** Shared by the env rules: the container env entries of a Cloud Run service or job. */
import type { ResourceView } from "../synth-output.js";

export interface EnvEntry {
  name: string;
  value?: unknown;
}

export function containerEnv(resource: ResourceView): EnvEntry[] | undefined {
  const template = first(resource.values.template);
  if (resource.type === "google_cloud_run_v2_service") return envOf(template?.containers);
  if (resource.type === "google_cloud_run_v2_job") return envOf(first(template?.template)?.containers);
  return undefined;
}

function first(v: unknown): Record<string, unknown> | undefined {
  const item = Array.isArray(v) ? v[0] : v;
  return item !== null && typeof item === "object" ? (item as Record<string, unknown>) : undefined;
}

function envOf(containers: unknown): EnvEntry[] {
  const list = Array.isArray(containers) ? containers : containers ? [containers] : [];
  return list.flatMap((c) => {
    const env = (c as { env?: unknown }).env;
    return Array.isArray(env) ? env.filter((e): e is EnvEntry => e !== null && typeof e === "object" && typeof (e as EnvEntry).name === "string") : [];
  });
}
