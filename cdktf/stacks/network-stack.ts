import type { Construct } from "constructs";
import { namesFor } from "../../config/naming.js";
import type { EnvironmentConfig } from "../../config/schema.js";
import { Network } from "../../modules/network/index.js";
import { EnvironmentStack } from "./environment-stack.js";

/** Every API the three stacks use; enabled first, in the bottom stack. */
export const REQUIRED_APIS = [
  "compute.googleapis.com",
  "servicenetworking.googleapis.com",
  "vpcaccess.googleapis.com",
  "redis.googleapis.com",
  "firestore.googleapis.com",
  "storage.googleapis.com",
  "pubsub.googleapis.com",
  "secretmanager.googleapis.com",
  "run.googleapis.com",
  "cloudscheduler.googleapis.com",
  "iam.googleapis.com",
  "cloudresourcemanager.googleapis.com",
];

/** VPC, subnet, private service access, connector or Direct VPC egress, firewall; the APIs. */
export class NetworkStack extends EnvironmentStack {
  readonly network: Network;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, "network", config, REQUIRED_APIS);
    const names = namesFor(config);
    const n = config.network;
    this.network = new Network(this, "network", {
      region: config.project.region,
      networkName: names.network,
      subnetName: names.subnet,
      subnetCidr: n.subnetCidr,
      privateServiceRangeName: names.privateServiceRange,
      privateServiceRange: n.privateServiceRange,
      egress: n.egress,
      connector: n.connector ? { name: names.connector, ...n.connector } : undefined,
      firewallPrefix: config.namePrefix,
      dependsOn: this.project.apis,
    });
  }
}
