/**
 * The ops stack: alerting and the dashboard of one environment. Its own stack, applied after
 * network → data → services and destroyed first, because it refers to services, subscriptions and
 * scheduler jobs by name only (no Terraform references, so no cross-stack outputs and no cycle),
 * and tuning a threshold then plans only this small stack, never the services.
 */
import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { Aspects, GcsBackend, LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../../config/schema.js";
import { Monitoring } from "../../modules/monitoring/monitoring.js";
import { AlertRunbookAspect } from "../../modules/monitoring/runbook-aspect.js";
import { monitoringPropsFromConfig } from "../monitoring-props.js";

export class OpsStack extends TerraformStack {
  readonly monitoring: Monitoring | undefined;

  constructor(scope: Construct, id: string, config: EnvironmentConfig) {
    super(scope, id);
    if (config.backend.type === "gcs") new GcsBackend(this, { bucket: config.backend.bucket, prefix: `${config.backend.prefix}/${config.environment}/ops` });
    else new LocalBackend(this, { path: `${config.backend.dir}/${config.environment}-ops.tfstate` });
    new GoogleProvider(this, "google", { project: config.project.id, region: config.project.region });
    this.monitoring = config.monitoring.enabled ? new Monitoring(this, "monitoring", monitoringPropsFromConfig(config)) : undefined;
    Aspects.of(this).add(new AlertRunbookAspect());
  }
}
