/**
 * Who reads a secret, from the environment document: every service and job env var that references
 * it, with the version it pins. Cloud Run resolves env-var secrets when an instance starts, so a
 * consumer on `latest` picks a new version up only on a new revision (or a cold start); a consumer
 * pinned to a number keeps the old value until its pin changes.
 */
import type { EnvironmentConfig } from "../../config/schema.js";

export interface SecretConsumer {
  kind: "service" | "job";
  name: string;
  envVar: string;
  /** "latest" or a version number as text */
  version: string;
}

export function consumersOf(config: EnvironmentConfig, secretId: string): SecretConsumer[] {
  const out: SecretConsumer[] = [];
  const scan = (kind: SecretConsumer["kind"], name: string, env: Record<string, unknown>) => {
    for (const [envVar, source] of Object.entries(env)) {
      if (source && typeof source === "object" && "secret" in source && (source as { secret: string }).secret === secretId) {
        out.push({ kind, name, envVar, version: (source as { version?: string }).version ?? "latest" });
      }
    }
  };
  for (const [name, svc] of Object.entries(config.services)) scan("service", name, svc.env);
  for (const [name, job] of Object.entries(config.jobs)) scan("job", name, job.env);
  return out;
}

export interface ConsumerAction extends SecretConsumer {
  /** what the consumer needs so it reads `target` */
  action: "new-revision" | "update-pin-and-deploy" | "none";
  note: string;
}

/**
 * What each consumer must do to read `target` (after a rotation or a rollback). `rolled`: services
 * opsctl already rolled onto a new revision. A job reads its secrets when an execution starts.
 */
export function consumerActions(consumers: SecretConsumer[], target: number, rolled: ReadonlySet<string> = new Set()): ConsumerAction[] {
  return consumers.map((c) => {
    if (c.version === "latest" && c.kind === "service" && rolled.has(c.name)) return { ...c, action: "none", note: `rolled: a new revision reads latest (= v${target})` };
    if (c.version === "latest" && c.kind === "job") return { ...c, action: "none", note: `reads latest (= v${target}) when its next execution starts` };
    if (c.version === "latest") {
      return { ...c, action: "new-revision", note: `reads latest (= v${target}) at instance start: deploy a new revision so running instances drop the old value` };
    }
    if (Number(c.version) === target) return { ...c, action: "none", note: `already pinned to v${target}` };
    return { ...c, action: "update-pin-and-deploy", note: `pinned to v${c.version}: set ${c.kind}s.${c.name}.env.${c.envVar}.version to "${target}" and deploy` };
  });
}

export interface RollOutcome {
  service: string;
  revision: string;
  /** rolled: a new revision took the traffic; already: a re-run found it serving */
  outcome: "rolled" | "already";
  /** what the revision's secret env vars reference: "latest" or a number */
  reads: string;
  detail: string;
}

/** The version reference a revision must hold so that it reads `version` (latest only if latest IS it). */
export function referenceFor(version: number, newestVersion: number | undefined): string {
  return newestVersion === version ? "latest" : String(version);
}
