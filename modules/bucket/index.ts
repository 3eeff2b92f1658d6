/**
 * A private Cloud Storage bucket: uniform bucket-level access, public access prevention enforced,
 * age-based deletion (media 90 days, exports 180 days in the reference config), versioning, CORS
 * and soft delete.
 */
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { Construct } from "constructs";
import { isLiteral, validateProps } from "../core/validate-props.js";

export interface BucketProps {
  /** globally unique name (from the naming helper) */
  readonly name: string;
  readonly location: string;
  /** objects are deleted this many days after creation; 0 keeps them @default 0 */
  readonly retentionDays?: number;
  /** @default false */
  readonly versioning?: boolean;
  /** soft-delete window in days, 0 disables it, max 90 @default 7 */
  readonly softDeleteDays?: number;
  /** @default [] */
  readonly cors?: readonly { readonly origins: string[]; readonly methods: string[]; readonly responseHeaders?: string[]; readonly maxAgeSeconds?: number }[];
  /** @default false: a destroy refuses to delete a bucket that still holds objects */
  readonly forceDestroy?: boolean;
}

export class Bucket extends Construct {
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: BucketProps) {
    super(scope, id);
    const retention = props.retentionDays ?? 0;
    const softDelete = props.softDeleteDays ?? 7;
    validateProps(`Bucket ${id}`, [
      [!isLiteral(props.name) || /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(props.name), `bucket name "${props.name}" must be 3-63 chars of a-z 0-9 . _ -`],
      [Number.isInteger(retention) && retention >= 0, `retentionDays ${retention} must be a whole number >= 0`],
      [softDelete >= 0 && softDelete <= 90, `softDeleteDays ${softDelete} is outside 0-90`],
    ]);

    this.bucket = new StorageBucket(this, "bucket", {
      name: props.name,
      location: props.location,
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: props.forceDestroy ?? false,
      versioning: { enabled: props.versioning ?? false },
      softDeletePolicy: { retentionDurationSeconds: softDelete * 86_400 },
      lifecycleRule: retention > 0 ? [{ action: { type: "Delete" }, condition: { age: retention } }] : [],
      cors: (props.cors ?? []).map((c) => ({ origin: c.origins, method: c.methods, responseHeader: c.responseHeaders ?? [], maxAgeSeconds: c.maxAgeSeconds ?? 3600 })),
    });
  }

  get name(): string {
    return this.bucket.name;
  }

  get url(): string {
    return this.bucket.url;
  }
}
