import { describe, expect, it } from "vitest";
import { type DeployRecord, rollbackCandidates } from "./deploy-history.js";

const rec = (over: Partial<DeployRecord>): DeployRecord => ({ kind: "deploy-history", action: "deploy", environment: "prod", service: "webhook", at: "", who: "me", revision: "", outcome: "succeeded", before: [], after: [], ...over });

describe("rollback candidates", () => {
  it("are the revisions that served 100% before each successful deploy, newest first", () => {
    const history = [
      rec({ action: "rollback", revision: "b", before: [{ revision: "c", percent: 100 }], after: [{ revision: "b", percent: 100 }] }),
      rec({ revision: "c", before: [{ revision: "b", percent: 100 }], after: [{ revision: "c", percent: 100 }] }),
      rec({ revision: "x", outcome: "rolled-back", before: [{ revision: "b", percent: 100 }] }),
      rec({ revision: "b", before: [{ revision: "a", percent: 100 }] }),
      rec({ revision: "s", before: [{ revision: "a", percent: 50 }, { revision: "z", percent: 50 }] }),
    ];
    // After a rollback to b, the newest successful deploy still names b: a second rollback is a no-op.
    expect(rollbackCandidates(history)).toEqual(["b", "a"]);
  });
});
