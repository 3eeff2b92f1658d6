/**
 * A Cloud Run (v2) job: opsctl itself running inside the VPC (the idempotency checker reaches
 * Memorystore only from there), sharded over tasks via CLOUD_RUN_TASK_INDEX/COUNT.
 */
import { CloudRunV2Job } from "@cdktf/provider-google/lib/cloud-run-v2-job/index.js";
import { CloudRunV2JobIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-job-iam-member/index.js";
import { Construct } from "constructs";
import { type VpcEgress, vpcAccess } from "../cloud-run-service/index.js";
import { validateProps } from "../core/validate-props.js";
import { envProblems, toContainerEnv, type WorkloadEnvVar } from "../core/workload-env.js";

export interface CloudRunJobProps {
  readonly name: string;
  readonly region: string;
  readonly image: string;
  /** @default [] */
  readonly args?: readonly string[];
  readonly serviceAccountEmail: string;
  /** tasks per execution (shards) @default 1 */
  readonly taskCount?: number;
  /** tasks running at once, 0 = as many as possible @default 0 */
  readonly parallelism?: number;
  /** @default "1" */
  readonly cpu?: string;
  /** @default "512Mi" */
  readonly memory?: string;
  /** per task, seconds @default 3600 */
  readonly timeoutSeconds?: number;
  /** retries per task, 0-10 @default 1 */
  readonly maxRetries?: number;
  /** @default none */
  readonly vpcEgress?: VpcEgress;
  /** @default [] */
  readonly env?: readonly WorkloadEnvVar[];
  /** @default true */
  readonly deletionProtection?: boolean;
}

export class CloudRunJob extends Construct {
  readonly job: CloudRunV2Job;

  constructor(scope: Construct, id: string, props: CloudRunJobProps) {
    super(scope, id);
    const env = props.env ?? [];
    const tasks = props.taskCount ?? 1;
    const parallelism = props.parallelism ?? 0;
    const retries = props.maxRetries ?? 1;
    validateProps(`CloudRunJob ${id}`, [
      [/^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/.test(props.name), `job name "${props.name}" must be 1-49 chars of a-z 0-9 -`],
      [tasks >= 1 && tasks <= 10_000, `taskCount ${tasks} is outside 1-10000`],
      [parallelism >= 0 && parallelism <= tasks, `parallelism ${parallelism} must be between 0 and taskCount`],
      [retries >= 0 && retries <= 10, `maxRetries ${retries} is outside 0-10`],
      ...envProblems(env, "job").map((p) => [false, p] as const),
    ]);
    this.job = new CloudRunV2Job(this, "job", {
      name: props.name,
      location: props.region,
      deletionProtection: props.deletionProtection ?? true,
      template: {
        taskCount: tasks,
        parallelism,
        template: {
          serviceAccount: props.serviceAccountEmail,
          maxRetries: retries,
          timeout: `${props.timeoutSeconds ?? 3600}s`,
          ...vpcAccess(props.vpcEgress),
          containers: [
            {
              image: props.image,
              args: [...(props.args ?? [])],
              resources: { limits: { cpu: props.cpu ?? "1", memory: props.memory ?? "512Mi" } },
              env: toContainerEnv(env),
            },
          ],
        },
      },
      // The image is rolled by the release pipeline like the services' images.
      lifecycle: { ignoreChanges: ["template[0].template[0].containers[0].image", "client", "client_version"] },
    });
  }

  /** roles/run.invoker on the job (Cloud Scheduler runs it with this member's token) */
  grantInvoker(id: string, member: string): CloudRunV2JobIamMember {
    return new CloudRunV2JobIamMember(this, id, { name: this.job.name, location: this.job.location, role: "roles/run.invoker", member });
  }

  /** the Cloud Run Admin API URL that starts an execution */
  runUri(project: string): string {
    return `https://run.googleapis.com/v2/projects/${project}/locations/${this.job.location}/jobs/${this.job.name}:run`;
  }
}
