/**
 * Least-privilege identity of one workload: its own service account and only the roles its env
 * contract implies — secretAccessor on the secrets it reads, datastore user when it reads
 * Firestore, publisher on its topics, subscriber on the pull subscriptions it reads, object admin
 * on its buckets, token creator on itself when it signs URLs.
 */
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member/index.js";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import { Construct } from "constructs";
import { validateProps } from "../core/validate-props.js";

export interface WorkloadIdentityProps {
  /** 6-30 chars (from the naming helper) */
  readonly accountId: string;
  readonly displayName: string;
  readonly project: string;
  /** project-level roles, e.g. roles/datastore.user @default [] */
  readonly projectRoles?: readonly string[];
  /** secret resource ids (projects/p/secrets/x) it reads, keyed by config name @default {} */
  readonly secrets?: Readonly<Record<string, string>>;
  /** topic names it publishes to, keyed by config name @default {} */
  readonly publishTopics?: Readonly<Record<string, string>>;
  /** pull subscription names it consumes, keyed by config name @default {} */
  readonly pullSubscriptions?: Readonly<Record<string, string>>;
  /** bucket names it reads and writes, keyed by config name @default {} */
  readonly buckets?: Readonly<Record<string, string>>;
  /** it signs URLs with its own identity @default false */
  readonly signsUrls?: boolean;
}

const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9-]/g, "-");

export class WorkloadIdentity extends Construct {
  readonly account: ServiceAccount;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    validateProps(`WorkloadIdentity ${id}`, [[/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(props.accountId), `service account id "${props.accountId}" must be 6-30 chars of a-z 0-9 -`]]);
    this.account = new ServiceAccount(this, "account", { accountId: props.accountId, displayName: props.displayName, project: props.project });
    const member = this.member;
    for (const role of [...new Set(props.projectRoles ?? [])].sort()) {
      new ProjectIamMember(this, `project-${key(role)}`, { project: props.project, role, member });
    }
    for (const [name, secretId] of sortedEntries(props.secrets)) {
      new SecretManagerSecretIamMember(this, `secret-${key(name)}`, { secretId, role: "roles/secretmanager.secretAccessor", member });
    }
    for (const [name, topic] of sortedEntries(props.publishTopics)) {
      new PubsubTopicIamMember(this, `publish-${key(name)}`, { topic, role: "roles/pubsub.publisher", member });
    }
    for (const [name, subscription] of sortedEntries(props.pullSubscriptions)) {
      new PubsubSubscriptionIamMember(this, `subscribe-${key(name)}`, { subscription, role: "roles/pubsub.subscriber", member });
    }
    for (const [name, bucket] of sortedEntries(props.buckets)) {
      new StorageBucketIamMember(this, `bucket-${key(name)}`, { bucket, role: "roles/storage.objectAdmin", member });
    }
    if (props.signsUrls) {
      new ServiceAccountIamMember(this, "sign-urls", { serviceAccountId: this.account.name, role: "roles/iam.serviceAccountTokenCreator", member });
    }
  }

  get email(): string {
    return this.account.email;
  }

  /** serviceAccount:<email> */
  get member(): string {
    return this.account.member;
  }
}

function sortedEntries(record: Readonly<Record<string, string>> | undefined): [string, string][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
