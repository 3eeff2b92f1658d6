/**
 * Synth fails when an alert policy has no runbook link: an alert an on-call engineer cannot act on
 * is noise. Apply to a stack (`Aspects.of(stack).add(new AlertRunbookAspect())`); every offending
 * policy is reported, with its construct path, when the app synthesizes.
 */
import { MonitoringAlertPolicy } from "@cdktf/provider-google/lib/monitoring-alert-policy/index.js";
import { Annotations, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { runbookNameIn } from "../../config/runbook-link.js";

export class AlertRunbookAspect implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof MonitoringAlertPolicy)) return;
    if (runbookNameIn(node.documentationInput?.content) !== undefined) return;
    Annotations.of(node).addError(`alert policy "${node.displayNameInput ?? node.node.id}" has no runbook link (runbooks/<name>.md) in documentation.content: build its documentation with withRunbook()`);
  }
}
