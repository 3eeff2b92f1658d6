import type { ResourceRule, RuleInfo } from "../types.js";

export const info: RuleInfo = {
  id: "bucket-public-access",
  cause: "a bucket allows public access: public access prevention not enforced, uniform access off, or allUsers/allAuthenticatedUsers granted",
  explanation:
    "Media and exports hold users' messages and documents (seed 004: private buckets, signed URLs for exports). Buckets must set `public_access_prevention = \"enforced\"` and uniform bucket-level access, and no IAM binding may name allUsers or allAuthenticatedUsers. Share objects with signed URLs instead.",
  level: "error",
  appliesTo: "google_storage_bucket, google_storage_bucket_iam_member/binding",
};

const PUBLIC = /^(allUsers|allAuthenticatedUsers)$/;

export const rule: ResourceRule = {
  info,
  scope: "resource",
  check(resource) {
    const v = resource.values;
    if (resource.type === "google_storage_bucket") {
      const problems: string[] = [];
      if (v.public_access_prevention !== "enforced") problems.push(`public_access_prevention is ${JSON.stringify(v.public_access_prevention ?? "inherited")}, not "enforced"`);
      if (v.uniform_bucket_level_access !== true) problems.push("uniform_bucket_level_access is off");
      return problems.length === 0 ? "COMPLIANT" : { result: "NON_COMPLIANT", detail: problems.join("; ") };
    }
    if (resource.type === "google_storage_bucket_iam_member" || resource.type === "google_storage_bucket_iam_binding") {
      const members = [v.member, ...(Array.isArray(v.members) ? v.members : [])].filter((m): m is string => typeof m === "string");
      const open = members.filter((m) => PUBLIC.test(m));
      return open.length === 0 ? "COMPLIANT" : { result: "NON_COMPLIANT", detail: `grants ${v.role} to ${open.join(", ")}` };
    }
    return "NOT_APPLICABLE";
  },
};
