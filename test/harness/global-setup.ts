/**
 * vitest globalSetup for the integration project: starts redis-server, the Firestore emulator and
 * the Pub/Sub emulator once per run, hands their addresses to tests (inject("servers")), and always
 * stops them, also when a test fails or the run is interrupted.
 */
import type { TestProject } from "vitest/node";
import { type RunningServer, startFirestoreEmulator, startPubsubEmulator, startRedis } from "./servers.js";

export interface HarnessServers {
  redisUrl: string;
  redisPort: number;
  firestoreHost: string;
  pubsubHost: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    servers: HarnessServers;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: RunningServer[] = [];
  const stopAll = async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
  };
  const onSignal = () => {
    void stopAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const [redis, firestore, pubsub] = await Promise.all([startRedis(), startFirestoreEmulator(), startPubsubEmulator()]);
    started.push(redis, firestore, pubsub);
    project.provide("servers", { redisUrl: redis.url, redisPort: redis.port, firestoreHost: firestore.address, pubsubHost: pubsub.address });
  } catch (err) {
    await stopAll();
    throw err;
  }
  return async () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await stopAll();
  };
}
