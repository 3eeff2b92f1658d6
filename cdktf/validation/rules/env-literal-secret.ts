import { literalLooksSecret } from "../../../config/env-contract.js";
import type { ResourceRule, RuleInfo } from "../types.js";
import { containerEnv } from "./container-env.js";

export const info: RuleInfo = {
  id: "env-literal-secret",
  cause: "a Cloud Run env var holds a literal that looks like a secret",
  explanation:
    "A literal env value is stored in Terraform state, in the revision spec and in every `gcloud run services describe` output. Tokens, passwords and keys go to Secret Manager and are mounted with `secret_key_ref` (`{ secret: NAME }` in the env contract); `opsctl secrets` writes the values.",
  level: "error",
  appliesTo: "google_cloud_run_v2_service, google_cloud_run_v2_job",
};

export const rule: ResourceRule = {
  info,
  scope: "resource",
  check(resource) {
    const env = containerEnv(resource);
    if (env === undefined) return "NOT_APPLICABLE";
    const problems = env.flatMap((e) => (typeof e.value === "string" && !e.value.includes("${") ? [literalLooksSecret(e.name, e.value)] : [])).filter((p): p is string => p !== undefined);
    return problems.length === 0 ? "COMPLIANT" : { result: "NON_COMPLIANT", detail: problems.join("; ") };
  },
};
