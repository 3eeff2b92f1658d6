import { describe, expect, it } from "vitest";
import { synthConstructs } from "../core/synth-json.js";
import { SchedulerJob } from "./index.js";

describe("SchedulerJob", () => {
  it("GIVEN a Cloud Run job target THEN it POSTs to the :run URL with an OAuth token", () => {
    const out = synthConstructs((s) => new SchedulerJob(s, "s", { name: "check-hourly", region: "r", schedule: "17 * * * *", target: { kind: "job", runUri: "https://run.googleapis.com/v2/projects/p/locations/r/jobs/j:run" }, callerEmail: "sched@p.iam.gserviceaccount.com" }));
    expect(out.has("google_cloud_scheduler_job", { schedule: "17 * * * *", http_target: { http_method: "POST", uri: "https://run.googleapis.com/v2/projects/p/locations/r/jobs/j:run", oauth_token: { service_account_email: "sched@p.iam.gserviceaccount.com" } } })).toBe(true);
  });

  it("GIVEN a service target THEN it calls the path with an OIDC token for the service URL", () => {
    const out = synthConstructs((s) => new SchedulerJob(s, "s", { name: "reengage", region: "r", schedule: "0 9 * * 1", target: { kind: "service", url: "https://w.run.app", path: "/tasks/reengage" }, callerEmail: "c@p" }));
    expect(out.has("google_cloud_scheduler_job", { http_target: { uri: "https://w.run.app/tasks/reengage", oidc_token: { audience: "https://w.run.app" } } })).toBe(true);
  });

  it("refuses a schedule that is not 5-field cron", () => {
    expect(() => synthConstructs((s) => new SchedulerJob(s, "s", { name: "x", region: "r", schedule: "every 55 days", target: { kind: "service", url: "u", path: "/" }, callerEmail: "c" }))).toThrow(/unix-cron/);
  });
});
