/**
 * Alerting: what the structured event lines cost (the idempotency check can log thousands of
 * findings per run) against a bare JSON.stringify + write, and how long the ops stack of prod takes
 * to synthesize.
 */
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Testing } from "cdktf";
import { OpsStack } from "../cdktf/stacks/ops.js";
import { LOG_EVENTS } from "../cli/core/log-event-names.js";
import { createLogger } from "../cli/core/output.js";
import { loadConfigFile } from "../config/load.js";
import { median } from "./measure.js";
import type { BenchSuite } from "./run.js";

const sink = (): Writable => new Writable({ write: (_chunk, _enc, done) => done() });

function linesPerSecond(emit: (i: number) => void, n = 20_000): number {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) emit(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return n / median(times);
}

const suite: BenchSuite = {
  name: "alerting (log events, ops stack synth)",
  async run() {
    const stderr = sink();
    const log = createLogger({ stdout: sink(), stderr }, { verbose: false, quiet: false, format: "json", command: "idempotency check", color: false, env: () => "prod" });
    const event = linesPerSecond((i) => log.event(LOG_EVENTS.idempotencyInconsistentDetected, { kind: "orphan-key", key: `idempotency:wamid.${i}` }));
    const bare = linesPerSecond((i) => stderr.write(`${JSON.stringify({ severity: "WARNING", event: "x", kind: "orphan-key", key: `idempotency:wamid.${i}`, time: new Date().toISOString() })}\n`));
    const prod = loadConfigFile(fileURLToPath(new URL("../config/prod.yaml", import.meta.url))).config;
    if (!prod) throw new Error("config/prod.yaml is invalid");
    const synthMs: number[] = [];
    let resources = 0;
    for (let r = 0; r < 5; r++) {
      const start = process.hrtime.bigint();
      const json = JSON.parse(Testing.synth(new OpsStack(Testing.app(), prod))) as { resource: Record<string, Record<string, unknown>> };
      synthMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      resources = Object.values(json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    }
    return [
      { name: "log.event JSON lines", value: event, unit: "/s", note: "with redaction and schema envelope" },
      { name: "bare JSON.stringify + write", value: bare, unit: "/s", note: "baseline" },
      { name: "log.event / bare", value: event / bare, unit: "x" },
      { name: "ops stack synth (prod)", value: median(synthMs), unit: "ms", note: `${resources} resources, median of 5` },
    ];
  },
};
export default suite;
