import { Firestore } from "@google-cloud/firestore";
import { PubSub, v1 } from "@google-cloud/pubsub";
import type { ClientOptions } from "google-gax";
import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";

const servers = inject("servers");

describe("integration harness (real servers)", () => {
  it("GIVEN the harness redis-server WHEN a key is set with a TTL THEN it reads back with that TTL", async () => {
    const redis = new Redis(servers.redisUrl, { lazyConnect: true });
    await redis.connect();
    await redis.set("harness:probe", "v1", "EX", 60);
    expect(await redis.get("harness:probe")).toBe("v1");
    const ttl = await redis.ttl("harness:probe");
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
    await redis.quit();
  });

  describe("Firestore emulator", () => {
    process.env.FIRESTORE_EMULATOR_HOST = servers.firestoreHost;
    const db = new Firestore({ projectId: "harness-test" });
    afterAll(() => db.terminate());

    it("GIVEN a written document WHEN it is read THEN the same data comes back", async () => {
      const ref = db.collection("messages").doc("m1");
      await ref.set({ metadata: { platformMessageId: "wamid.1" }, text: "olá" });
      const snap = await ref.get();
      expect(snap.exists).toBe(true);
      expect(snap.get("metadata.platformMessageId")).toBe("wamid.1");
      expect(snap.get("text")).toBe("olá");
    });
  });

  describe("Pub/Sub emulator", () => {
    it("GIVEN a topic and subscription WHEN a message is published THEN a pull receives it with its attributes", async () => {
      process.env.PUBSUB_EMULATOR_HOST = servers.pubsubHost;
      const pubsub = new PubSub({ projectId: "harness-test" });
      const [topic] = await pubsub.createTopic(`t-${Date.now()}`);
      const [sub] = await topic.createSubscription(`s-${Date.now()}`);
      const id = await topic.publishMessage({ data: Buffer.from("hello"), attributes: { kind: "probe" } });
      // The raw gapic client reads no emulator variable: reuse the PubSub object's resolved options.
      const client = new v1.SubscriberClient((await pubsub.getClientConfig()) as ClientOptions);
      const [response] = await client.pull({ subscription: sub.name, maxMessages: 10 }, { timeout: 10_000 });
      const received = response.receivedMessages ?? [];
      expect(received).toHaveLength(1);
      expect(received[0]?.message?.messageId).toBe(id);
      expect(Buffer.from(received[0]?.message?.data ?? "").toString()).toBe("hello");
      expect(received[0]?.message?.attributes).toEqual({ kind: "probe" });
      await client.close();
      await pubsub.close();
    });
  });
});
