/**
 * alert-without-runbook: every google_monitoring_alert_policy links its runbook
 * (`runbooks/<name>.md`) in documentation.content. Reads synthesized Terraform JSON only, so the
 * synth step and `opsctl lint` share it and loading it pulls in no provider binding.
 */
import { runbookNameIn } from "../../../config/runbook-link.js";

export type RuleResult = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";

/** One resource of the synthesized JSON: `resource.<type>.<name>` and its body. */
export interface SynthesizedResource {
  readonly type: string;
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
}

export const info = {
  id: "alert-without-runbook",
  severity: "error",
  cause: "the alert policy's documentation.content does not link a runbook (runbooks/<name>.md)",
} as const;

export const explanation = `An alert wakes someone up; the runbook tells them what it means, what is affected, how to
diagnose it and how to mitigate it. Without a link the on-call engineer starts from nothing at 3 a.m.
Build every alert policy's documentation with withRunbook() from modules/monitoring (it writes
"**Runbook:** [runbooks/<name>.md](<base>/runbooks/<name>.md)" into documentation.content), and
make sure the runbook exists and names the alert on an "Alert: <display name>" line.`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** documentation is a single block: an object in cdktf's JSON, a one-element list in some tools' output. */
function documentationContent(body: Readonly<Record<string, unknown>>): string | undefined {
  const doc = Array.isArray(body.documentation) ? body.documentation[0] : body.documentation;
  return isRecord(doc) && typeof doc.content === "string" ? doc.content : undefined;
}

export function check(resource: SynthesizedResource): RuleResult {
  if (resource.type !== "google_monitoring_alert_policy") return "NOT_APPLICABLE";
  return runbookNameIn(documentationContent(resource.body)) === undefined ? "NON_COMPLIANT" : "COMPLIANT";
}
