import { describe, expect, it } from "vitest";
import { availableSources } from "../../../config/env-contract.js";
import { environmentSchema } from "../../../config/schema.js";
import { staticSourceValues } from "./live-sources.js";

const config = environmentSchema.parse({
  environment: "dev",
  stage: "dev",
  project: { id: "wa-bot-dev", region: "southamerica-east1" },
  namePrefix: "wa-dev",
  network: { subnetCidr: "10.10.0.0/24", privateServiceRange: "10.20.0.0/16", egress: "direct" },
  redis: {},
  firestore: { location: "southamerica-east1", collections: ["messages"], databaseId: "bot" },
  buckets: { media: { retentionDays: 90 } },
  topics: { "whatsapp-inbound-messages": { subscriptions: { "worker-pull": { deadLetter: { maxDeliveryAttempts: 5 } } } } },
});

describe("staticSourceValues: from: sources known from the document and the naming helper", () => {
  it("names buckets, topics, subscriptions, the project, region and database as cdktf does", () => {
    const values = staticSourceValues(config, "wa-bot-dev", "southamerica-east1", availableSources(config).keys());
    expect(Object.fromEntries(values)).toEqual({
      "project.id": "wa-bot-dev",
      region: "southamerica-east1",
      environment: "dev",
      "firestore.database": "bot",
      "bucket.media.name": "wa-bot-dev-media",
      "bucket.media.url": "gs://wa-bot-dev-media",
      "topic.whatsapp-inbound-messages.id": "projects/wa-bot-dev/topics/whatsapp-inbound-messages",
      "topic.whatsapp-inbound-messages.name": "whatsapp-inbound-messages",
      "subscription.worker-pull.id": "projects/wa-bot-dev/subscriptions/worker-pull",
      "subscription.worker-pull.name": "worker-pull",
    });
  });

  it("leaves live-only sources (redis.*) and unknown buckets to the caller", () => {
    expect([...staticSourceValues(config, "p", "r", ["redis.host", "bucket.nope.name"]).keys()]).toEqual([]);
  });
});
