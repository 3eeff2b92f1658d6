/**
 * Builds the three stacks of one environment and synthesizes them, from a document the schema
 * accepted (shape and defaults). Nothing beyond the shape is trusted: the wiring and the constructs
 * check everything they use, so a document that skipped `config validate` still fails synth with a
 * clear message. synth-environment.ts adds the schema parse for raw input; this file does not load
 * the schema library, so `opsctl synth` (which validated already) does not pay for it twice.
 */
import { App } from "cdktf";
import type { EnvironmentConfig } from "../config/schema.js";
import { PropsError } from "../modules/core/validate-props.js";
import { DataStack } from "./stacks/data-stack.js";
import { type EnvironmentStack, STACK_ORDER } from "./stacks/environment-stack.js";
import { NetworkStack } from "./stacks/network-stack.js";
import { OpsStack } from "./stacks/ops.js";
import { ServicesStack } from "./stacks/services-stack.js";
import { SynthInputError } from "./synth-input-error.js";
import { findCycle, WiringError } from "./wiring/env-wiring.js";

export { SynthInputError } from "./synth-input-error.js";

export interface EnvironmentApp {
  app: App;
  network: NetworkStack;
  data: DataStack;
  services: ServicesStack;
  /** alerting and dashboard; absent when monitoring.enabled is false */
  ops: OpsStack | undefined;
}

/** The stacks of one environment in `app`, network → data → services (→ ops). */
export function buildStacks(app: App, config: EnvironmentConfig): EnvironmentApp {
  try {
    const network = new NetworkStack(app, config);
    const data = new DataStack(app, config, network);
    const services = new ServicesStack(app, config, network, data);
    const ops = config.monitoring.enabled ? new OpsStack(app, config, services) : undefined;
    return { app, network, data, services, ops };
  } catch (err) {
    if (err instanceof WiringError || err instanceof PropsError) throw new SynthInputError(err.message, err instanceof WiringError ? err.problems : err.problems);
    if (err instanceof Error && /invalid labels/.test(err.message)) throw new SynthInputError(err.message, [err.message]);
    throw err;
  }
}

/**
 * app.synth(), with cdktf's circular-dependency failure turned into the path of the cycle
 * (seed 001: cross-stack references created a cycle nobody could read from the error).
 */
export function synthesize(app: App): void {
  try {
    app.synth();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!/circular dependency/i.test(message)) throw err;
    const edges = new Map<string, string[]>();
    for (const child of app.node.children) {
      const stack = child as Partial<EnvironmentStack>;
      if (stack.dependencies) edges.set(child.node.id, stack.dependencies.map((d) => d.node.id));
    }
    // cdktf refuses the edge that closes the cycle before recording it: add it back from the message.
    const m = /Cannot add dependency (\S+) to (\S+),/.exec(message);
    let cycle = findCycle(edges);
    for (const [from, to] of m?.[1] && m[2] ? [[m[2], m[1]], [m[1], m[2]]] : []) {
      if (cycle || from === undefined || to === undefined) break;
      cycle = findCycle(new Map([...edges, [from, [...(edges.get(from) ?? []), to]]]));
    }
    const path = cycle ? cycle.join(" → ") : m ? `${m[2]} → ${m[1]} → … → ${m[2]}` : "unknown";
    const problem = `stack dependency cycle: ${path}. Stacks may only depend downward (${STACK_ORDER.join(" → ")}); move the referenced resource to a lower stack or pass the value through config`;
    throw new SynthInputError(problem, [problem]);
  }
}

/** Builds and writes the Terraform JSON of a schema-checked document to `outdir`. */
export function synthStacks(config: EnvironmentConfig, outdir: string): EnvironmentApp {
  const app = new App({ outdir, stackTraces: false });
  const built = buildStacks(app, config);
  synthesize(app);
  return built;
}
