/**
 * Test support for construct tests: synthesize a scope and read resources of one type from the
 * JSON. Lives beside the constructs (not under test/) because only *.test.ts files use it.
 */
import { Testing } from "cdktf";
import type { Construct } from "constructs";

export type Resources = Record<string, Record<string, unknown>>;

export interface Synthesized {
  text: string;
  resources(type: string): Record<string, unknown>[];
  /** Testing.toHaveResourceWithProperties: some resource of `type` has these properties (deep partial) */
  has(type: string, properties: Record<string, unknown>): boolean;
}

export function synthConstructs(build: (scope: Construct) => void): Synthesized {
  const text = Testing.synthScope((scope) => build(scope));
  const json = JSON.parse(text) as { resource?: Record<string, Resources> };
  return {
    text,
    resources: (type) => Object.values(json.resource?.[type] ?? {}),
    has: (type, properties) => Testing.toHaveResourceWithProperties(text, type, properties),
  };
}
