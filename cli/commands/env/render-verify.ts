import { formatSplit } from "../../cloud-run/traffic-split.js";
import { formatTable } from "../../core/output.js";
import type { EnvVerifyResult } from "./verify.js";

/** One row per drift (service, serving revision, var, kind, expected, actual), then the verdict. */
export function renderVerify(result: EnvVerifyResult): string {
  const rows: string[][] = [];
  const lines: string[] = [];
  for (const s of result.services) {
    if (!s.found) {
      rows.push([s.service, "-", "-", "service-missing", s.name, "(not found)"]);
      continue;
    }
    lines.push(`${s.service} (${s.name})  serving: ${formatSplit(s.serving) || "nothing"}`);
    for (const r of s.revisions) for (const d of r.drift) rows.push([s.service, `${r.revision} (${r.percent}%)`, d.name, d.kind, d.expected, d.actual]);
  }
  const parts = [...lines, ""];
  if (rows.length > 0) parts.push(formatTable(["SERVICE", "REVISION", "VAR", "DRIFT", "EXPECTED", "ACTUAL"], rows), "");
  const unresolved = Object.entries(result.unresolved);
  if (unresolved.length > 0) parts.push("not checked (no live value):", ...unresolved.map(([source, why]) => `  ${source}: ${why}`), "");
  parts.push(result.clean ? `no drift: every serving revision matches the env contract (${result.project}/${result.region})` : `${result.driftCount} drift finding(s) — see runbooks/missing-env-var.md`);
  return parts.join("\n");
}
