import type { ResourceRule, RuleInfo } from "../types.js";

export const info: RuleInfo = {
  id: "firestore-delete-protection",
  cause: "the production Firestore database has delete protection off",
  explanation:
    "Conversations, profiles and the audit log live in Firestore; one mistaken destroy deletes them. In prod set `firestore.deleteProtection: true` (delete_protection_state DELETE_PROTECTION_ENABLED). Dev and staging may turn it off to be torn down freely.",
  level: "error",
  appliesTo: "google_firestore_database in prod",
};

export const rule: ResourceRule = {
  info,
  scope: "resource",
  check(resource, output) {
    if (resource.type !== "google_firestore_database") return "NOT_APPLICABLE";
    const stage = output.stacks.find((s) => s.name === resource.stack)?.stage;
    if (stage !== "prod") return "NOT_APPLICABLE";
    return resource.values.delete_protection_state === "DELETE_PROTECTION_ENABLED"
      ? "COMPLIANT"
      : { result: "NON_COMPLIANT", detail: `delete_protection_state is ${JSON.stringify(resource.values.delete_protection_state ?? "unset")}` };
  },
};
