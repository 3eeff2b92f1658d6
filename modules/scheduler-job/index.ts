/**
 * A Cloud Scheduler job that calls a Cloud Run job (OAuth token, the Run Admin API) or a Cloud Run
 * service path (OIDC token), with its own least-privilege caller identity supplied by the caller.
 */
import { CloudSchedulerJob } from "@cdktf/provider-google/lib/cloud-scheduler-job/index.js";
import { Construct } from "constructs";
import { validateProps } from "../core/validate-props.js";

export type SchedulerTarget =
  /** POST to the Run Admin API `:run` URL of a job, with an OAuth token */
  | { readonly kind: "job"; readonly runUri: string }
  /** a service URL + path, with an OIDC token whose audience is the service URL */
  | { readonly kind: "service"; readonly url: string; readonly path: string; readonly method?: "GET" | "POST" };

export interface SchedulerJobProps {
  readonly name: string;
  readonly region: string;
  /** unix-cron, e.g. "17 * * * *" */
  readonly schedule: string;
  /** @default "Etc/UTC" */
  readonly timeZone?: string;
  readonly description?: string;
  readonly target: SchedulerTarget;
  /** the identity the scheduler calls with (needs run.invoker on the target) */
  readonly callerEmail: string;
  /** @default "320s" */
  readonly attemptDeadline?: string;
}

export class SchedulerJob extends Construct {
  readonly job: CloudSchedulerJob;

  constructor(scope: Construct, id: string, props: SchedulerJobProps) {
    super(scope, id);
    validateProps(`SchedulerJob ${id}`, [
      [props.schedule.trim().split(/\s+/).length === 5, `schedule "${props.schedule}" is not a 5-field unix-cron expression`],
      [/^[a-zA-Z0-9_-]{1,500}$/.test(props.name), `scheduler job name "${props.name}" must use a-z A-Z 0-9 _ -`],
    ]);
    const t = props.target;
    this.job = new CloudSchedulerJob(this, "job", {
      name: props.name,
      region: props.region,
      schedule: props.schedule,
      timeZone: props.timeZone ?? "Etc/UTC",
      description: props.description,
      attemptDeadline: props.attemptDeadline ?? "320s",
      retryConfig: { retryCount: 1, minBackoffDuration: "30s", maxBackoffDuration: "300s" },
      httpTarget:
        t.kind === "job"
          ? { httpMethod: "POST", uri: t.runUri, oauthToken: { serviceAccountEmail: props.callerEmail, scope: "https://www.googleapis.com/auth/cloud-platform" } }
          : { httpMethod: t.method ?? "POST", uri: `${t.url}${t.path}`, oidcToken: { serviceAccountEmail: props.callerEmail, audience: t.url } },
    });
  }
}
