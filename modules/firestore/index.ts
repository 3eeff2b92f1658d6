/**
 * Firestore in native mode, with the composite indexes and TTL field policies declared in config
 * (seed 000: a query needed a composite index nobody created; the emulator ignores indexes, so only
 * provisioning them makes production match the tests).
 */
import { FirestoreDatabase } from "@cdktf/provider-google/lib/firestore-database/index.js";
import { FirestoreField } from "@cdktf/provider-google/lib/firestore-field/index.js";
import { FirestoreIndex } from "@cdktf/provider-google/lib/firestore-index/index.js";
import { Construct } from "constructs";
import { validateProps } from "../core/validate-props.js";

export interface FirestoreIndexSpec {
  readonly collection: string;
  /** @default "COLLECTION" */
  readonly queryScope?: "COLLECTION" | "COLLECTION_GROUP";
  /** at least two fields */
  readonly fields: readonly { readonly path: string; readonly order?: "ASCENDING" | "DESCENDING"; readonly arrayConfig?: "CONTAINS" }[];
}

export interface FirestoreProps {
  /** @default "(default)" */
  readonly databaseId?: string;
  /** e.g. southamerica-east1 or nam5 */
  readonly location: string;
  /** @default false */
  readonly pointInTimeRecovery?: boolean;
  /** @default true */
  readonly deleteProtection?: boolean;
  /** @default [] */
  readonly indexes?: readonly FirestoreIndexSpec[];
  /** documents expire after the timestamp in `field` @default [] */
  readonly ttl?: readonly { readonly collection: string; readonly field: string }[];
}

export class Firestore extends Construct {
  readonly database: FirestoreDatabase;
  readonly indexes: FirestoreIndex[];
  readonly ttlFields: FirestoreField[];

  constructor(scope: Construct, id: string, props: FirestoreProps) {
    super(scope, id);
    const indexes = props.indexes ?? [];
    validateProps(`Firestore ${id}`, [
      [props.location.trim() !== "", "location is required"],
      ...indexes.map((ix, i) => [ix.fields.length >= 2, `indexes[${i}] on ${ix.collection}: a composite index needs at least two fields`] as const),
    ]);
    const deleteProtection = props.deleteProtection ?? true;

    this.database = new FirestoreDatabase(this, "database", {
      name: props.databaseId ?? "(default)",
      locationId: props.location,
      type: "FIRESTORE_NATIVE",
      concurrencyMode: "OPTIMISTIC",
      pointInTimeRecoveryEnablement: props.pointInTimeRecovery ? "POINT_IN_TIME_RECOVERY_ENABLED" : "POINT_IN_TIME_RECOVERY_DISABLED",
      deleteProtectionState: deleteProtection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED",
      // With protection on, a destroy must not silently drop the data: abandon instead of delete.
      deletionPolicy: deleteProtection ? "ABANDON" : "DELETE",
    });

    this.indexes = indexes.map(
      (ix, i) =>
        new FirestoreIndex(this, `index-${ix.collection}-${i}`, {
          database: this.database.name,
          collection: ix.collection,
          queryScope: ix.queryScope ?? "COLLECTION",
          fields: ix.fields.map((f) => ({ fieldPath: f.path, ...(f.arrayConfig ? { arrayConfig: f.arrayConfig } : { order: f.order ?? "ASCENDING" }) })),
        }),
    );

    this.ttlFields = (props.ttl ?? []).map(
      (t) =>
        new FirestoreField(this, `ttl-${t.collection}-${t.field}`, {
          database: this.database.name,
          collection: t.collection,
          field: t.field,
          ttlConfig: {},
        }),
    );
  }

  get databaseName(): string {
    return this.database.name;
  }
}
