/** Physical names of Cloud Run resources from the environment document. */
import { namesFor } from "../../config/naming.js";
import type { EnvironmentConfig } from "../../config/schema.js";
import { usageError } from "../core/errors.js";

/**
 * The Cloud Run service id of config service `key`: the name cdktf/ gives it (config/naming.ts keeps
 * the config key for Cloud Run services), so the CLI finds the service Terraform created.
 */
export function serviceId(config: EnvironmentConfig, key: string): string {
  return namesFor(config).service(key);
}

export function serviceFullName(project: string, region: string, id: string): string {
  return `projects/${project}/locations/${region}/services/${id}`;
}

export function revisionFullName(service: string, revision: string): string {
  return revision.includes("/") ? revision : `${service}/revisions/${revision}`;
}

/** The config entry of --service, or a usage error listing the services the document declares. */
export function requireService(config: EnvironmentConfig, key: string | undefined): string {
  const names = Object.keys(config.services);
  if (!key) throw usageError("--service is required", `services in ${config.environment}: ${names.join(", ") || "(none)"}`);
  if (!config.services[key]) throw usageError(`unknown service "${key}"`, `services in ${config.environment}: ${names.join(", ") || "(none)"}`);
  return key;
}
