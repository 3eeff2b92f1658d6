/**
 * Synthesized-stack fixtures for the state tests: `<root>/stacks/<stack>/cdk.tf.json` with a local
 * backend (the shape CDKTF writes), and a real version 4 state file holding google_* resources.
 * Terraform reads and edits these files itself; nothing here imitates it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

export interface FixtureResource {
  type: string;
  name: string;
  attributes: Record<string, unknown>;
}

const GOOGLE = 'provider["registry.terraform.io/hashicorp/google"]';

/** terraform (or tofu) on PATH, the way opsctl looks for it. */
export function terraformOnPath(): string | undefined {
  for (const name of ["terraform", "tofu"]) {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
      if (!dir) continue;
      const r = spawnSync(join(dir, name), ["version"], { stdio: "ignore" });
      if (r.status === 0) return join(dir, name);
    }
  }
  return undefined;
}

export function makeStacksRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "opsctl-state-"));
  mkdirSync(join(root, "stacks"));
  return root;
}

export function writeStack(root: string, stack: string, resources: FixtureResource[], lineage = `lineage-${stack}-0001`): string {
  const dir = join(root, "stacks", stack);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "cdk.tf.json"),
    JSON.stringify({
      "//": { metadata: { stackName: stack, backend: "local" } },
      terraform: { backend: { local: { path: `terraform.${stack}.tfstate` } }, required_providers: { google: { source: "google", version: "6.50.0" } } },
      provider: { google: [{ project: "wa-bot-dev", region: "southamerica-east1" }] },
      resource: {},
    }),
  );
  const state = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 7,
    lineage,
    outputs: {},
    resources: resources.map((r) => ({
      mode: "managed",
      type: r.type,
      name: r.name,
      provider: GOOGLE,
      instances: [{ schema_version: 0, attributes: r.attributes, sensitive_attributes: [] }],
    })),
    check_results: null,
  };
  writeFileSync(join(dir, `terraform.${stack}.tfstate`), JSON.stringify(state, null, 2));
  return dir;
}

export function readStateFile(root: string, stack: string): { serial: number; lineage: string; resources: { type: string; name: string }[] } {
  return JSON.parse(readFileSync(join(root, "stacks", stack, `terraform.${stack}.tfstate`), "utf8"));
}

const P = "wa-bot-dev";
const R = "southamerica-east1";

/** The network stack's state after a `terraform destroy` that failed on the network (seed 000). */
export function seedNetworkStateAfterFailedDestroy(): FixtureResource[] {
  return [
    { type: "google_compute_network", name: "vpc", attributes: { id: `projects/${P}/global/networks/wa-dev-vpc`, name: "wa-dev-vpc", project: P, self_link: `https://www.googleapis.com/compute/v1/projects/${P}/global/networks/wa-dev-vpc` } },
    { type: "google_compute_global_address", name: "psa_range", attributes: { id: `projects/${P}/global/addresses/wa-dev-psa-range`, name: "wa-dev-psa-range", network: `projects/${P}/global/networks/wa-dev-vpc`, purpose: "VPC_PEERING", prefix_length: 16 } },
    { type: "google_service_networking_connection", name: "psa", attributes: { id: `projects%2F${P}%2Fglobal%2Fnetworks%2Fwa-dev-vpc:servicenetworking.googleapis.com`, network: `projects/${P}/global/networks/wa-dev-vpc`, service: "servicenetworking.googleapis.com", reserved_peering_ranges: ["wa-dev-psa-range"] } },
    { type: "google_compute_subnetwork", name: "subnet", attributes: { id: `projects/${P}/regions/${R}/subnetworks/wa-dev-subnet`, name: "wa-dev-subnet", region: R, network: `projects/${P}/global/networks/wa-dev-vpc` } },
  ];
}

export const DEV_LABELS = { app: "whatsapp-bot", env: "dev", "managed-by": "opsctl" };
