/**
 * A Cloud Run (v2) service with its own runtime service account, env from the contract (literals,
 * references, `secret_key_ref`), probes, scaling, ingress and VPC egress.
 *
 * Terraform and CI deploys fought over the image (terraform-google-modules Cloud Run issues):
 * `opsctl deploy` owns revisions, so Terraform ignores changes to the image and to the client
 * fields; it owns everything else.
 */
import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service/index.js";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js";
import { Construct } from "constructs";
import { validateProps } from "../core/validate-props.js";
import { envProblems, toContainerEnv, type WorkloadEnvVar } from "../core/workload-env.js";

export type { WorkloadEnvVar } from "../core/workload-env.js";

export interface ProbeProps {
  /** @default "/healthz" */
  readonly path?: string;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 3 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
}

/** Either a serverless VPC access connector id or Direct VPC egress on a subnet. */
export type VpcEgress = { readonly connector: string } | { readonly network: string; readonly subnetwork: string };

export const CLOUD_RUN_IGNORED_FIELDS = ["template[0].containers[0].image", "client", "client_version"];

export interface CloudRunServiceProps {
  readonly name: string;
  readonly region: string;
  /** initial image; later revisions come from `opsctl deploy` */
  readonly image: string;
  /** runtime service account email */
  readonly serviceAccountEmail: string;
  /** @default "1" */
  readonly cpu?: string;
  /** @default "512Mi" */
  readonly memory?: string;
  /** @default 0 */
  readonly minInstances?: number;
  /** @default 10 */
  readonly maxInstances?: number;
  /** requests per instance, 1-1000 @default 80 */
  readonly concurrency?: number;
  /** request timeout, seconds @default 300 */
  readonly timeoutSeconds?: number;
  /** @default "internal" */
  readonly ingress?: "all" | "internal" | "internal-and-cloud-load-balancing";
  /** why ingress "all" is needed; recorded in the synthesized metadata for the ingress-all rule */
  readonly ingressReason?: string;
  /** allUsers may invoke (a public webhook) @default false */
  readonly public?: boolean;
  /** @default { path: "/healthz" } */
  readonly startupProbe?: ProbeProps;
  /** @default none */
  readonly livenessProbe?: ProbeProps;
  /** @default none (no VPC access) */
  readonly vpcEgress?: VpcEgress;
  /** resolved env contract @default [] */
  readonly env?: readonly WorkloadEnvVar[];
  /** @default true */
  readonly deletionProtection?: boolean;
}

const INGRESS = { all: "INGRESS_TRAFFIC_ALL", internal: "INGRESS_TRAFFIC_INTERNAL_ONLY", "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" } as const;

function probe(p: ProbeProps) {
  return {
    httpGet: { path: p.path ?? "/healthz" },
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    periodSeconds: p.periodSeconds ?? 10,
    timeoutSeconds: p.timeoutSeconds ?? 3,
    failureThreshold: p.failureThreshold ?? 3,
  };
}

export function vpcAccess(egress: VpcEgress | undefined) {
  if (egress === undefined) return {};
  if ("connector" in egress) return { vpcAccess: { connector: egress.connector, egress: "PRIVATE_RANGES_ONLY" } };
  return { vpcAccess: { networkInterfaces: [{ network: egress.network, subnetwork: egress.subnetwork }], egress: "PRIVATE_RANGES_ONLY" } };
}

export class CloudRunService extends Construct {
  readonly service: CloudRunV2Service;

  constructor(scope: Construct, id: string, props: CloudRunServiceProps) {
    super(scope, id);
    const env = props.env ?? [];
    const min = props.minInstances ?? 0;
    const max = props.maxInstances ?? 10;
    const concurrency = props.concurrency ?? 80;
    const ingress = props.ingress ?? "internal";
    validateProps(`CloudRunService ${id}`, [
      [/^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/.test(props.name), `service name "${props.name}" must be 1-49 chars of a-z 0-9 -`],
      [props.image.trim() !== "", "image is required"],
      [max >= 1 && min >= 0 && max >= min, `instances min ${min} / max ${max} are inconsistent`],
      [concurrency >= 1 && concurrency <= 1000, `concurrency ${concurrency} is outside 1-1000`],
      ...envProblems(env, "service").map((p) => [false, p] as const),
    ]);

    this.service = new CloudRunV2Service(this, "service", {
      name: props.name,
      location: props.region,
      ingress: INGRESS[ingress],
      deletionProtection: props.deletionProtection ?? true,
      template: {
        serviceAccount: props.serviceAccountEmail,
        scaling: { minInstanceCount: min, maxInstanceCount: max },
        maxInstanceRequestConcurrency: concurrency,
        timeout: `${props.timeoutSeconds ?? 300}s`,
        ...vpcAccess(props.vpcEgress),
        containers: [
          {
            image: props.image,
            resources: { limits: { cpu: props.cpu ?? "1", memory: props.memory ?? "512Mi" } },
            env: toContainerEnv(env),
            startupProbe: probe(props.startupProbe ?? {}),
            ...(props.livenessProbe ? { livenessProbe: probe(props.livenessProbe) } : {}),
          },
        ],
      },
      lifecycle: { ignoreChanges: CLOUD_RUN_IGNORED_FIELDS },
    });
    if (ingress === "all" && props.ingressReason) this.service.addOverride("//.opsctl.ingressReason", props.ingressReason);

    if (props.public) {
      new CloudRunV2ServiceIamMember(this, "public-invoker", { name: this.service.name, location: props.region, role: "roles/run.invoker", member: "allUsers" });
    }
  }

  /** the service's HTTPS URL */
  get url(): string {
    return this.service.uri;
  }

  /** roles/run.invoker for a member (push subscriptions, scheduler) */
  grantInvoker(id: string, member: string): CloudRunV2ServiceIamMember {
    return new CloudRunV2ServiceIamMember(this, id, { name: this.service.name, location: this.service.location, role: "roles/run.invoker", member });
  }
}
