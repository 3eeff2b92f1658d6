/**
 * The ops stack: alerting and the dashboard of one environment. Its own stack, applied after
 * network → data → services and destroyed first, because it refers to services, subscriptions and
 * scheduler jobs by name only (no Terraform references, so no cross-stack outputs and no cycle),
 * and tuning a threshold then plans only this small stack, never the services.
 */
import { Aspects } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../../config/schema.js";
import { Monitoring } from "../../modules/monitoring/monitoring.js";
import { AlertRunbookAspect } from "../../modules/monitoring/runbook-aspect.js";
import { monitoringPropsFromConfig } from "../monitoring-props.js";
import { EnvironmentStack } from "./environment-stack.js";

/** APIs the ops stack needs (log-based metrics, alert policies, dashboards). */
const OPS_APIS = ["logging.googleapis.com", "monitoring.googleapis.com"];

export class OpsStack extends EnvironmentStack {
  readonly monitoring: Monitoring | undefined;

  /** `after`: the services stack, so `opsctl apply` orders ops last and `destroy` takes it first. */
  constructor(scope: Construct, config: EnvironmentConfig, after?: EnvironmentStack) {
    super(scope, "ops", config, OPS_APIS);
    if (after) this.addDependency(after);
    this.monitoring = config.monitoring.enabled ? new Monitoring(this, "monitoring", monitoringPropsFromConfig(config)) : undefined;
    Aspects.of(this).add(new AlertRunbookAspect());
  }
}
