/**
 * The network of one environment: custom-mode VPC, one subnet, private service access for
 * Memorystore (allocated range + service networking peering), a serverless VPC access connector or
 * nothing (Direct VPC egress uses the subnet), and firewall rules.
 *
 * Destroy order (seed 000, the VPC deletion race): every dependent declares `dependsOn` the network
 * explicitly, so `terraform destroy` removes the connector, firewalls and peering before the VPC.
 */
import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall/index.js";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address/index.js";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network/index.js";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork/index.js";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection/index.js";
import { VpcAccessConnector } from "@cdktf/provider-google/lib/vpc-access-connector/index.js";
import { Fn, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { validateProps } from "../core/validate-props.js";

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export interface NetworkProps {
  readonly region: string;
  /** VPC name (from the naming helper) */
  readonly networkName: string;
  readonly subnetName: string;
  /** primary range of the subnet, e.g. 10.10.0.0/24 */
  readonly subnetCidr: string;
  /** name of the allocated range for private service access */
  readonly privateServiceRangeName: string;
  /** allocated range for producer services (Memorystore), e.g. 10.20.0.0/16; at most /24 */
  readonly privateServiceRange: string;
  /**
   * "connector" creates a serverless VPC access connector; "direct" leaves egress to Direct VPC
   * egress on the subnet (no connector, no aet-* firewall rules left behind).
   * @default "connector"
   */
  readonly egress?: "connector" | "direct";
  /** required when egress is "connector" */
  readonly connector?: {
    readonly name: string;
    /** a /28 not overlapping the subnet */
    readonly cidr: string;
    /** @default "e2-micro" */
    readonly machineType?: string;
    /** @default 2 */
    readonly minInstances?: number;
    /** @default 3 */
    readonly maxInstances?: number;
  };
  /** prefix of firewall rule names */
  readonly firewallPrefix: string;
  /** resources that must exist first (the API enablement) */
  readonly dependsOn?: ITerraformDependable[];
}

export class Network extends Construct {
  readonly network: ComputeNetwork;
  readonly subnet: ComputeSubnetwork;
  readonly privateServiceAddress: ComputeGlobalAddress;
  readonly privateServiceConnection: ServiceNetworkingConnection;
  readonly connector: VpcAccessConnector | undefined;
  readonly firewalls: ComputeFirewall[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const egress = props.egress ?? "connector";
    const range = CIDR.exec(props.privateServiceRange);
    validateProps(`Network ${id}`, [
      [CIDR.test(props.subnetCidr), `subnetCidr "${props.subnetCidr}" is not an IPv4 CIDR`],
      [range !== null && Number(range[5]) <= 24, `privateServiceRange "${props.privateServiceRange}" must be a CIDR of /24 or larger`],
      [egress === "direct" || props.connector !== undefined, 'egress "connector" needs connector settings'],
      [props.connector === undefined || props.connector.cidr.endsWith("/28"), "a serverless VPC access connector needs a /28"],
      [props.connector === undefined || props.connector.name.length <= 25, "connector names are at most 25 characters"],
    ]);
    const after = props.dependsOn ?? [];

    this.network = new ComputeNetwork(this, "vpc", {
      name: props.networkName,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      // The default routes and firewalls are managed here; nothing outside this construct may add
      // dependents Terraform does not know about.
      deleteDefaultRoutesOnCreate: false,
      dependsOn: after,
    });

    this.subnet = new ComputeSubnetwork(this, "subnet", {
      name: props.subnetName,
      region: props.region,
      network: this.network.id,
      ipCidrRange: props.subnetCidr,
      privateIpGoogleAccess: true,
      dependsOn: [this.network],
    });

    this.privateServiceAddress = new ComputeGlobalAddress(this, "psa-range", {
      name: props.privateServiceRangeName,
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address: range?.slice(1, 5).join("."),
      prefixLength: range ? Number(range[5]) : 16,
      network: this.network.id,
      dependsOn: [this.network],
    });

    this.privateServiceConnection = new ServiceNetworkingConnection(this, "psa", {
      network: this.network.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [this.privateServiceAddress.name],
      // Deliberately NOT "ABANDON" (terraform-provider-google #16275, #19908): abandoning leaves the
      // peering behind and the VPC then refuses deletion. With the default (delete), destroy fails
      // loudly while a producer (Memorystore) still uses the connection, which is the right signal:
      // the data stack is destroyed first (stacks are layered), and `opsctl state cleanup` waits
      // out "Producer services ... are still using this connection" with backoff.
      // updateOnCreationFail lets a re-apply adopt a peering left by a half-failed create.
      updateOnCreationFail: true,
      dependsOn: [this.network, this.privateServiceAddress],
    });

    if (egress === "connector" && props.connector) {
      this.connector = new VpcAccessConnector(this, "connector", {
        name: props.connector.name,
        region: props.region,
        network: this.network.name,
        ipCidrRange: props.connector.cidr,
        machineType: props.connector.machineType ?? "e2-micro",
        minInstances: props.connector.minInstances ?? 2,
        maxInstances: props.connector.maxInstances ?? 3,
        // The connector references the network by name (a string Terraform cannot trace to the
        // resource), so the dependency is declared: destroy removes the connector first.
        dependsOn: [this.network, this.subnet],
      });
    }

    const internalRanges = [props.subnetCidr, ...(this.connector && props.connector ? [props.connector.cidr] : [])];
    this.firewalls = [
      new ComputeFirewall(this, "allow-internal", {
        name: `${props.firewallPrefix}-allow-internal`,
        network: this.network.id,
        direction: "INGRESS",
        sourceRanges: internalRanges,
        allow: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
        dependsOn: [this.network],
      }),
      new ComputeFirewall(this, "allow-health-checks", {
        name: `${props.firewallPrefix}-allow-health-checks`,
        network: this.network.id,
        direction: "INGRESS",
        // Google front-end and health-check ranges
        sourceRanges: ["35.191.0.0/16", "130.211.0.0/22"],
        allow: [{ protocol: "tcp" }],
        dependsOn: [this.network],
      }),
    ];
  }

  /** The allocated range name, taken from the peering so Memorystore waits for the connection. */
  get reservedRangeName(): string {
    return Fn.element(this.privateServiceConnection.reservedPeeringRanges, 0);
  }
}
