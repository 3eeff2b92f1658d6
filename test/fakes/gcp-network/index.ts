/**
 * A fake of the network control plane (Compute, VPC Access, Memorystore, Service Networking, Cloud
 * Run) for `opsctl state doctor|cleanup`: one HttpFake per API, sharing one NetworkWorld. Product
 * code reaches it through `env` (OPSCTL_<API>_ENDPOINT=http://127.0.0.1:PORT).
 */
import { HttpFake, type RecordedCall } from "../http-fake.js";
import { registerCompute } from "./compute.js";
import { registerRedis, registerRun, registerServiceNetworking, registerVpcAccess } from "./regional.js";
import { NetworkWorld, type WorldOptions } from "./world.js";

export { NetworkWorld } from "./world.js";

export type NetworkApi = "compute" | "vpcaccess" | "redis" | "servicenetworking" | "run";

export interface GcpNetworkFake {
  world: NetworkWorld;
  fakes: Record<NetworkApi, HttpFake>;
  /** OPSCTL_<API>_ENDPOINT for every API */
  env: Record<string, string>;
  /** every non-GET call on any of the APIs */
  mutatingCalls(): (RecordedCall & { api: NetworkApi })[];
  stop(): Promise<void>;
}

export async function startGcpNetworkFake(options: Partial<WorldOptions> = {}): Promise<GcpNetworkFake> {
  const world = new NetworkWorld({ project: "wa-bot-dev", projectNumber: "123456789012", region: "southamerica-east1", operationDelayMs: 50, aetLingerMs: 300, ...options });
  const fakes: Record<NetworkApi, HttpFake> = {
    compute: new HttpFake(),
    vpcaccess: new HttpFake(),
    redis: new HttpFake(),
    servicenetworking: new HttpFake(),
    run: new HttpFake(),
  };
  registerCompute(fakes.compute, world);
  registerVpcAccess(fakes.vpcaccess, world);
  registerRedis(fakes.redis, world);
  registerServiceNetworking(fakes.servicenetworking, world);
  registerRun(fakes.run, world);
  const env: Record<string, string> = {};
  for (const [api, fake] of Object.entries(fakes)) env[`OPSCTL_${api.toUpperCase()}_ENDPOINT`] = await fake.start();
  return {
    world,
    fakes,
    env,
    mutatingCalls: () => (Object.entries(fakes) as [NetworkApi, HttpFake][]).flatMap(([api, f]) => f.mutatingCalls().map((c) => ({ ...c, api }))),
    stop: async () => {
      await Promise.all(Object.values(fakes).map((f) => f.stop()));
    },
  };
}
