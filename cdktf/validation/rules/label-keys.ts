import type { ResourceRule, RuleInfo } from "../types.js";

export const info: RuleInfo = {
  id: "label-keys",
  cause: "label keys are not lowercase, not unique case-insensitively, or use characters GCP refuses",
  explanation:
    "GCP label keys must start with a lowercase letter and use only a-z, 0-9, _ and - (63 chars at most); values the same charset. Seed 001: `Project` and `project` tags collided. Every label comes from the labelling helper (modules/core/labels.ts) fed by `labels` in config; fix the key there.",
  level: "error",
  appliesTo: "every resource with a `labels` map",
};

const KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const VALUE = /^[a-z0-9_-]{0,63}$/;

export const rule: ResourceRule = {
  info,
  scope: "resource",
  check(resource) {
    const labels = resource.values.labels;
    if (labels === null || typeof labels !== "object" || Array.isArray(labels)) return "NOT_APPLICABLE";
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
      const previous = seen.get(key.toLowerCase());
      if (previous !== undefined) problems.push(`"${key}" duplicates "${previous}"`);
      seen.set(key.toLowerCase(), key);
      if (!KEY.test(key)) problems.push(`key "${key}" is not lowercase a-z 0-9 _ -`);
      if (typeof value === "string" && !value.includes("${") && !VALUE.test(value)) problems.push(`value "${value}" of "${key}" is not lowercase a-z 0-9 _ -`);
    }
    return problems.length === 0 ? "COMPLIANT" : { result: "NON_COMPLIANT", detail: problems.join("; ") };
  },
};
