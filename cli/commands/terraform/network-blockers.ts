/**
 * The destroy failures that are not terraform's fault but the network's (DESIGN.md "Known traps",
 * seed 000 §1): a VPC connector's aet-* firewall rules, a producer service still holding the private
 * service access connection, a peering left behind. Re-running destroy does not help; `opsctl state
 * doctor` finds the holder and `opsctl state cleanup` removes it.
 */
export const NETWORK_BLOCKER_PATTERNS: readonly RegExp[] = [
  /resourceInUseByAnotherResource/i,
  /already being used by/i,
  /Producer services/i,
  /still using this connection/i,
];

/**
 * The error paragraphs that name a known blocker, deduplicated, in order. terraform wraps its
 * diagnostics at ~78 columns, so each blank-line-separated paragraph is unwrapped before matching.
 */
export function findNetworkBlockers(terraformStderr: string): string[] {
  const paragraphs = terraformStderr
    .split("\n")
    .map((l) => l.replace(/^[│╷╵]\s?/u, "").trim())
    .join("\n")
    .split(/\n\s*\n/)
    .map((p) => p.split("\n").map((l) => l.trim()).filter((l) => l !== "").join(" "))
    .filter((p) => p !== "" && NETWORK_BLOCKER_PATTERNS.some((re) => re.test(p)))
    .map((p) => (p.length > 400 ? `${p.slice(0, 400)}…` : p));
  return [...new Set(paragraphs)];
}
