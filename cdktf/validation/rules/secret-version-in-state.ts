import type { ResourceRule, RuleInfo } from "../types.js";

export const info: RuleInfo = {
  id: "secret-version-in-state",
  cause: "a Secret Manager secret version is managed by Terraform, so its value is in state in clear text",
  explanation:
    "`google_secret_manager_secret_version.secret_data` is written to the Terraform state file, readable by anyone who can read the state bucket. Terraform creates the secret, its IAM and rotation schedule; `opsctl secrets rotate` writes versions (value from stdin, a file or a generator).",
  level: "error",
  appliesTo: "google_secret_manager_secret_version, google_secret_manager_regional_secret_version",
};

export const rule: ResourceRule = {
  info,
  scope: "resource",
  check(resource) {
    if (resource.type !== "google_secret_manager_secret_version" && resource.type !== "google_secret_manager_regional_secret_version") return "NOT_APPLICABLE";
    return { result: "NON_COMPLIANT", detail: `${resource.address} stores a secret value in Terraform state` };
  },
};
