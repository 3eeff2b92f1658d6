import { reservedNameProblem } from "../../../config/env-contract.js";
import type { ResourceRule, RuleInfo } from "../types.js";
import { containerEnv } from "./container-env.js";

export const info: RuleInfo = {
  id: "env-reserved-name",
  cause: "a Cloud Run env var uses a name the platform reserves",
  explanation:
    "Cloud Run sets PORT, K_SERVICE, K_REVISION and K_CONFIGURATION itself (CLOUD_RUN_* in jobs) and refuses names that are empty, contain `=` or start with X_GOOGLE_; the deploy fails at apply time (seed 001: AWS_REGION was refused the same way on another platform). Rename the variable in the env contract.",
  level: "error",
  appliesTo: "google_cloud_run_v2_service, google_cloud_run_v2_job",
};

export const rule: ResourceRule = {
  info,
  scope: "resource",
  check(resource) {
    const env = containerEnv(resource);
    if (env === undefined) return "NOT_APPLICABLE";
    const kind = resource.type === "google_cloud_run_v2_job" ? "job" : "service";
    const problems = env.map((e) => reservedNameProblem(e.name, kind)).filter((p): p is string => p !== undefined);
    return problems.length === 0 ? "COMPLIANT" : { result: "NON_COMPLIANT", detail: problems.join("; ") };
  },
};
