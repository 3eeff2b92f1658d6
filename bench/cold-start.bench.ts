import { fileURLToPath } from "node:url";
import { findExecutable } from "../cli/core/prerequisites.js";
import type { BenchSuite } from "./run.js";
import { medianRunMs } from "./measure.js";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));

const suite: BenchSuite = {
  name: "cold start (median of 7, ms)",
  async run() {
    process.chdir(root);
    const node = medianRunMs(process.execPath, ["-e", "0"]);
    const help = medianRunMs(process.execPath, [bin, "--help"]);
    const validate = medianRunMs(process.execPath, [bin, "config", "validate", "--env", "dev"]);
    const gcloudBin = findExecutable("gcloud");
    const gcloud = gcloudBin ? medianRunMs(gcloudBin, ["run", "services", "--help"], 3, { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: "1", PAGER: "cat" }) : Number.NaN;
    return [
      { name: "node -e 0", value: node, unit: "ms" },
      { name: "gcloud run services --help", value: gcloud, unit: "ms", note: gcloudBin ? "" : "gcloud not installed" },
      { name: "opsctl --help", value: help, unit: "ms" },
      { name: "opsctl config validate --env dev", value: validate, unit: "ms" },
      { name: "opsctl --help / node -e 0", value: help / node, unit: "x", note: "target <= 4" },
      { name: "gcloud help / opsctl --help", value: gcloud / help, unit: "x", note: "target >= 10" },
      { name: "opsctl config validate / node -e 0", value: validate / node, unit: "x" },
      { name: "gcloud help / opsctl config validate", value: gcloud / validate, unit: "x" },
    ];
  },
};
export default suite;
