/**
 * Which revision a rollback goes to: --to, else the history's candidates, else the newest Ready
 * revision older than what serves now. Every candidate must be Ready.
 */
import { errorMessage, refusedError } from "../../core/errors.js";
import type { RevisionView, SplitEntry } from "../../cloud-run/model.js";
import type { RunApi } from "../../cloud-run/run-api.js";
import { servingRevisions } from "../../cloud-run/traffic-split.js";

export interface RollbackTarget {
  revision: string;
  source: "--to" | "history" | "revisions";
}

export async function chooseTarget(api: RunApi, service: string, current: SplitEntry[], to: string | undefined, historyCandidates: string[]): Promise<RollbackTarget> {
  if (to) {
    const id = to.slice(to.lastIndexOf("/") + 1);
    let rev: RevisionView;
    try {
      rev = await api.getRevision(`${service}/revisions/${id}`);
    } catch (err) {
      throw refusedError(`revision ${id} of ${service} cannot be read: ${errorMessage(err)}`, "list revisions with `gcloud run revisions list --service ...`", "revision_not_found");
    }
    if (!rev.ready) throw refusedError(`refusing to roll back to ${id}: it is not Ready (${rev.readyDetail})`, "pick a Ready revision (`opsctl deploy history`, `gcloud run revisions list`)", "revision_not_ready");
    return { revision: id, source: "--to" };
  }
  for (const id of historyCandidates) {
    const rev = await api.getRevision(`${service}/revisions/${id}`).catch(() => undefined);
    if (rev?.ready) return { revision: id, source: "history" };
  }
  const serving = servingRevisions(current);
  const revisions = await api.listRevisions(service);
  const newestServing = Math.max(...revisions.map((r, i) => (serving.includes(r.id) ? revisions.length - i : -1)));
  // listRevisions returns newest first; take the newest Ready revision older than anything serving.
  const older = revisions.filter((r, i) => revisions.length - i < newestServing && r.ready && !serving.includes(r.id));
  const pick = older[0];
  if (!pick) throw refusedError(`no Ready revision of ${service} to roll back to`, "pass --to REVISION", "no_rollback_target");
  return { revision: pick.id, source: "revisions" };
}
