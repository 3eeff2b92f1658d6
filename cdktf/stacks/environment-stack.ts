/**
 * What every stack of an environment shares: the provider, the state backend (GCS per environment
 * and stack, or local when config says so), the labels and the stage recorded in the synthesized
 * JSON so policy rules know how strict to be.
 */
import { GcsBackend, LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../../config/schema.js";
import { applyLabels } from "../../modules/core/labels.js";
import { GoogleProject } from "../../modules/project/index.js";

export type StackName = "network" | "data" | "services" | "ops";

/** Apply order; destroy runs it backwards. Dependencies only point to earlier stacks. `ops`
 * (alerting, dashboard) is present when monitoring is enabled. */
export const STACK_ORDER: readonly StackName[] = ["network", "data", "services", "ops"];

export class EnvironmentStack extends TerraformStack {
  readonly project: GoogleProject;

  constructor(
    scope: Construct,
    readonly stackName: StackName,
    readonly config: EnvironmentConfig,
    apis: readonly string[] = [],
  ) {
    super(scope, stackName);
    const backend = config.backend;
    if (backend.type === "gcs") {
      new GcsBackend(this, { bucket: backend.bucket, prefix: `${backend.prefix}/${config.environment}/${stackName}` });
    } else {
      // Relative to cdktf.out/stacks/<stack>, where terraform runs: state stays beside the repo.
      new LocalBackend(this, { path: `../../../${backend.dir}/${config.environment}/${stackName}.tfstate` });
    }
    this.project = new GoogleProject(this, "project", { project: config.project.id, region: config.project.region, services: apis });
    applyLabels(this, { ...config.labels, "opsctl-stack": stackName });
    this.addOverride("//.opsctl", { environment: config.environment, stage: config.stage, stack: stackName });
  }
}
