/**
 * Plain views of Cloud Run v2 services and revisions, decoupled from the generated protobuf types
 * (int64 fields arrive as Long objects, enums as strings): what health, deploy, rollback and secret
 * rotation reason about.
 */

/** One resolved slice of traffic: a revision id (not a full name), its percent and optional tag. */
export interface SplitEntry {
  revision: string;
  percent: number;
  tag?: string;
}

export interface TrafficSpec {
  type: "LATEST" | "REVISION";
  revision?: string;
  percent: number;
  tag?: string;
}

export interface TrafficStatusView extends TrafficSpec {
  uri?: string;
}

export interface ConditionView {
  type: string;
  state: string;
  message: string;
}

export interface ServiceView {
  /** projects/P/locations/L/services/S */
  name: string;
  generation: number;
  observedGeneration: number;
  reconciling: boolean;
  terminalCondition: ConditionView | undefined;
  traffic: TrafficSpec[];
  trafficStatuses: TrafficStatusView[];
  /** revision ids */
  latestReadyRevision: string;
  latestCreatedRevision: string;
  uri: string;
  etag: string;
  /** images of the template's containers */
  images: string[];
}

export interface RevisionView {
  name: string;
  id: string;
  ready: boolean;
  reconciling: boolean;
  /** why it is not Ready (the Ready condition's state and message) */
  readyDetail: string;
  failed: boolean;
  images: string[];
  env: Array<{ name: string; value?: string; secret?: string; version?: string }>;
  createTime: string;
}

export const shortId = (name: string): string => name.slice(name.lastIndexOf("/") + 1);
