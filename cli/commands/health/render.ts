import type { HealthReport } from "../../cloud-run/health-check.js";
import { formatSplit } from "../../cloud-run/traffic-split.js";

/** The table for humans: one line per check, failing ones marked, then the verdict. */
export function renderHealth(services: HealthReport[]): string {
  const lines: string[] = [];
  for (const s of services) {
    lines.push(`${s.service} (${s.name})  ${s.healthy ? "HEALTHY" : "UNHEALTHY"}`);
    lines.push(`  serving: ${formatSplit(s.serving) || "nothing"}`);
    const width = Math.max(...s.checks.map((c) => c.name.length), 5);
    for (const c of s.checks) lines.push(`  ${c.ok ? "ok  " : "FAIL"}  ${c.name.padEnd(width)}  ${c.detail}`);
    for (const w of s.warnings) lines.push(`  warn  ${w}`);
  }
  const failing = services.filter((s) => !s.healthy);
  lines.push(failing.length === 0 ? "all services healthy" : `unhealthy: ${failing.map((s) => `${s.service} (${s.checks.filter((c) => !c.ok).map((c) => c.name).join(", ")})`).join("; ")} — see runbooks/service-unhealthy.md`);
  return lines.join("\n");
}
