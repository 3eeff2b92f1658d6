/**
 * The labelling helper: one aspect that puts the environment's labels on every resource type that
 * accepts them, so no construct can forget. Keys are checked here (lowercase, unique, charset), the
 * same rule `label-keys` enforces on synthesized JSON (seed 001: `Project` and `project` collided).
 */
import { Aspects, type IAspect, TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";

/** Resource types of the provider that take a `labels` map. */
export const LABELLED_TYPES = new Set([
  "google_compute_global_address",
  "google_redis_instance",
  "google_storage_bucket",
  "google_pubsub_topic",
  "google_pubsub_subscription",
  "google_secret_manager_secret",
  "google_cloud_run_v2_service",
  "google_cloud_run_v2_job",
]);

const KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const VALUE = /^[a-z0-9_-]{0,63}$/;

/** Every problem with a label set; empty when GCP accepts it. */
export function labelProblems(labels: Record<string, string>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(labels)) {
    const previous = seen.get(key.toLowerCase());
    if (previous !== undefined) problems.push(`label "${key}" duplicates "${previous}" case-insensitively`);
    seen.set(key.toLowerCase(), key);
    if (!KEY.test(key)) problems.push(`label key "${key}" must be lowercase, start with a letter and use only a-z 0-9 _ - (max 63)`);
    if (!VALUE.test(value)) problems.push(`label value "${value}" of "${key}" must be lowercase a-z 0-9 _ - (max 63)`);
  }
  return problems;
}

class LabelAspect implements IAspect {
  constructor(private readonly labels: Record<string, string>) {}

  visit(node: IConstruct): void {
    if (node instanceof TerraformResource && LABELLED_TYPES.has(node.terraformResourceType)) {
      node.addOverride("labels", this.labels);
    }
  }
}

/** Labels every labelled resource under `scope`; throws when the labels would be refused. */
export function applyLabels(scope: IConstruct, labels: Record<string, string>): void {
  const problems = labelProblems(labels);
  if (problems.length > 0) throw new Error(`invalid labels:\n  ${problems.join("\n  ")}`);
  const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  Aspects.of(scope).add(new LabelAspect(sorted));
}
