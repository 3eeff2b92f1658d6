/**
 * What `opsctl secrets prune` does to one secret, decided from its versions and annotations alone
 * (pure, so every age boundary is unit-tested):
 *   disable  an enabled version that is neither current nor pending, once its grace has passed:
 *            the `previous` version after opsctl.previous-disable-after, any other replaced version
 *            graceHours after the next newer version was created
 *   destroy  disabled versions beyond the newest `retainVersions` (never current/previous/pending);
 *            with version_destroy_ttl set Secret Manager only schedules it, and enabling the version
 *            before the scheduled time cancels it
 */
import { ALIAS, ANNOTATION, currentVersion, pendingRotation } from "./rotation-state.js";
import type { SecretInfo, VersionInfo } from "./secret-store.js";

export interface PruneAction {
  version: number;
  action: "disable" | "destroy";
  reason: string;
}

export interface PrunePolicy {
  graceMs: number;
  retainVersions: number;
}

export function planPrune(secret: SecretInfo, versions: VersionInfo[], policy: PrunePolicy, now: Date): PruneAction[] {
  const actions: PruneAction[] = [];
  const current = currentVersion(secret, versions);
  const pending = pendingRotation(secret)?.version ?? secret.aliases[ALIAS.pending];
  const previous = secret.aliases[ALIAS.previous];
  const protectedVersions = new Set([current?.number, pending, previous].filter((n): n is number => n !== undefined));
  const newestFirst = [...versions].sort((a, b) => b.number - a.number);
  const disabledAfterRun = new Set<number>();

  for (const v of newestFirst) {
    if (v.state !== "ENABLED" || v.number === current?.number || v.number === pending) continue;
    let due: Date | undefined;
    let why = "";
    if (v.number === previous && secret.annotations[ANNOTATION.previousDisableAfter]) {
      due = new Date(secret.annotations[ANNOTATION.previousDisableAfter] as string);
      why = `previous version, grace ended ${due.toISOString()}`;
    } else {
      const successor = [...versions].filter((x) => x.number > v.number).sort((a, b) => a.number - b.number)[0];
      if (successor?.createTime) {
        due = new Date(successor.createTime.getTime() + policy.graceMs);
        why = `replaced by v${successor.number} at ${successor.createTime.toISOString()}, grace ended ${due.toISOString()}`;
      }
    }
    if (due && !Number.isNaN(due.getTime()) && due.getTime() <= now.getTime()) {
      actions.push({ version: v.number, action: "disable", reason: why });
      disabledAfterRun.add(v.number);
    }
  }

  // retention: count disabled versions (including those this run disables), newest first
  const disabled = newestFirst.filter((v) => (v.state === "DISABLED" || disabledAfterRun.has(v.number)) && !protectedVersions.has(v.number));
  let kept = 0;
  for (const v of disabled) {
    if (v.scheduledDestroyTime) continue; // already scheduled: counts neither as kept nor to destroy
    if (kept < policy.retainVersions) {
      kept += 1;
      continue;
    }
    actions.push({ version: v.number, action: "destroy", reason: `beyond the newest ${policy.retainVersions} disabled version(s)` });
  }
  return actions;
}
