/**
 * A Secret Manager secret, never a version: values must not land in Terraform state in clear text,
 * so `opsctl secrets` writes versions. Rotation (period, next time, notification topic), delayed
 * version destruction, and accessor IAM for exactly the service accounts whose contract reads it.
 */
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret/index.js";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { isLiteral, validateProps } from "../core/validate-props.js";

export interface SecretProps {
  /** secret id, [A-Za-z0-9_-]{1,255} */
  readonly secretId: string;
  /** rotation period in days; absent = no scheduled rotation */
  readonly rotationDays?: number;
  /** topic id notified on rotation (required with rotationDays) */
  readonly rotationTopic?: string;
  /** days a destroyed version stays recoverable, 0-30 @default 7 */
  readonly versionDestroyTtlDays?: number;
  /** automatic replication, or user-managed in these locations @default automatic */
  readonly replicaLocations?: readonly string[];
  /** IAM members granted secretAccessor, e.g. serviceAccount:api@p.iam.gserviceaccount.com @default [] */
  readonly accessors?: readonly string[];
}

export class Secret extends Construct {
  readonly secret: SecretManagerSecret;

  constructor(scope: Construct, id: string, props: SecretProps) {
    super(scope, id);
    const ttlDays = props.versionDestroyTtlDays ?? 7;
    validateProps(`Secret ${id}`, [
      [!isLiteral(props.secretId) || /^[A-Za-z0-9_-]{1,255}$/.test(props.secretId), `secret id "${props.secretId}" must be 1-255 chars of A-Z a-z 0-9 _ -`],
      [props.rotationDays === undefined || props.rotationTopic !== undefined, "rotationDays needs a rotationTopic (Secret Manager notifies it)"],
      [ttlDays >= 0 && ttlDays <= 30, `versionDestroyTtlDays ${ttlDays} is outside 0-30`],
    ]);
    const rotation = props.rotationDays !== undefined;
    this.secret = new SecretManagerSecret(this, "secret", {
      secretId: props.secretId,
      replication: props.replicaLocations?.length ? { userManaged: { replicas: props.replicaLocations.map((location) => ({ location })) } } : { auto: {} },
      ...(ttlDays > 0 ? { versionDestroyTtl: `${ttlDays * 86_400}s` } : {}),
      ...(rotation && props.rotationTopic
        ? {
            topics: [{ name: props.rotationTopic }],
            // plantimestamp() keeps synth deterministic; the first rotation is one period after the
            // first apply, and later applies leave the schedule to Secret Manager.
            rotation: { rotationPeriod: `${(props.rotationDays ?? 0) * 86_400}s`, nextRotationTime: Fn.timeadd(Fn.plantimestamp(), `${(props.rotationDays ?? 0) * 24}h`) },
            lifecycle: { ignoreChanges: ["rotation[0].next_rotation_time"] },
          }
        : {}),
    });
    [...new Set(props.accessors ?? [])].sort().forEach((member, i) => {
      this.grantAccess(member, `accessor-${i}`);
    });
  }

  /** secretAccessor for one member (a runtime service account whose contract reads this secret). */
  grantAccess(member: string, id: string): SecretManagerSecretIamMember {
    return new SecretManagerSecretIamMember(this, id, { secretId: this.secret.id, role: "roles/secretmanager.secretAccessor", member });
  }

  get id(): string {
    return this.secret.id;
  }

  get secretId(): string {
    return this.secret.secretId;
  }
}
