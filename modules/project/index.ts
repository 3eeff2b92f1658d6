/**
 * The provider and the project-level pieces every stack shares: the Google provider, the APIs the
 * stack needs, the project number (service agents are named after it) and service agent IAM.
 */
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project/index.js";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { ProjectService } from "@cdktf/provider-google/lib/project-service/index.js";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member/index.js";
import { Construct } from "constructs";

export interface GoogleProjectProps {
  readonly project: string;
  readonly region: string;
  /** APIs to enable, e.g. run.googleapis.com @default [] */
  readonly services?: readonly string[];
}

export class GoogleProject extends Construct {
  readonly provider: GoogleProvider;
  readonly apis: ProjectService[];
  private data: DataGoogleProject | undefined;

  constructor(scope: Construct, id: string, props: GoogleProjectProps) {
    super(scope, id);
    this.provider = new GoogleProvider(this, "google", { project: props.project, region: props.region, addTerraformAttributionLabel: false });
    this.apis = [...new Set(props.services ?? [])].sort().map(
      (service) =>
        new ProjectService(this, `api-${service.split(".")[0]}`, {
          project: props.project,
          service,
          // Disabling an API on destroy would break anything else in the project that uses it.
          disableOnDestroy: false,
          disableDependentServices: false,
        }),
    );
  }

  /** the project number (service agent names contain it) */
  get number(): string {
    this.data ??= new DataGoogleProject(this, "project");
    return this.data.number;
  }

  /** serviceAccount:service-<n>@gcp-sa-pubsub.iam.gserviceaccount.com */
  get pubsubServiceAgent(): string {
    return `serviceAccount:service-${this.number}@gcp-sa-pubsub.iam.gserviceaccount.com`;
  }

  /** serviceAccount:service-<n>@gcp-sa-secretmanager.iam.gserviceaccount.com */
  get secretManagerServiceAgent(): string {
    return `serviceAccount:service-${this.number}@gcp-sa-secretmanager.iam.gserviceaccount.com`;
  }

  /** publisher on a topic for a member (Secret Manager rotation notifications) */
  grantPublisher(id: string, topic: string, member: string): PubsubTopicIamMember {
    return new PubsubTopicIamMember(this, id, { topic, role: "roles/pubsub.publisher", member });
  }

  /** a service account that only calls things (scheduler, push subscriptions) */
  callerAccount(id: string, accountId: string, displayName: string): ServiceAccount {
    return new ServiceAccount(this, id, { accountId, displayName });
  }

  /** token creator on a service account (the Pub/Sub agent mints push OIDC tokens with it) */
  grantTokenCreator(id: string, account: ServiceAccount, member: string): ServiceAccountIamMember {
    return new ServiceAccountIamMember(this, id, { serviceAccountId: account.name, role: "roles/iam.serviceAccountTokenCreator", member });
  }
}
