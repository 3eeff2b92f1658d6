import type { ResourceRule, RuleInfo } from "../types.js";

export const info: RuleInfo = {
  id: "ingress-all-reason",
  cause: "a Cloud Run service accepts traffic from the internet (ingress all) without a recorded reason",
  explanation:
    "Ingress `all` exposes the service to the internet; only the webhook Meta calls needs it. Record why in config (`services.<name>.ingressReason`), which the cloud-run-service module writes into the synthesized metadata, or choose `internal` / `internal-and-cloud-load-balancing`.",
  level: "error",
  appliesTo: "google_cloud_run_v2_service",
};

export const rule: ResourceRule = {
  info,
  scope: "resource",
  check(resource) {
    if (resource.type !== "google_cloud_run_v2_service") return "NOT_APPLICABLE";
    const ingress = resource.values.ingress ?? "INGRESS_TRAFFIC_ALL";
    if (ingress !== "INGRESS_TRAFFIC_ALL") return "COMPLIANT";
    const reason = resource.meta.ingressReason;
    return typeof reason === "string" && reason.trim().length > 0 ? "COMPLIANT" : { result: "NON_COMPLIANT", detail: `service ${JSON.stringify(resource.values.name)} has ingress all and no ingressReason` };
  },
};
