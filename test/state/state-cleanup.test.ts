/**
 * `opsctl state doctor|cleanup|restore` end to end: the built CLI, the real terraform binary on real
 * v4 state files, and the fake network control plane (test/fakes/gcp-network) with real dependency
 * semantics. The scenario is seed 000: a destroy that failed because a connector's firewall rules
 * and a Memorystore instance still used the VPC.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GcpNetworkFake, startGcpNetworkFake } from "../fakes/gcp-network/index.js";
import { runOpsctl } from "../harness/run-opsctl.js";
import { DEV_LABELS, makeStacksRoot, readStateFile, seedNetworkStateAfterFailedDestroy, terraformOnPath, writeStack } from "./stack-fixture.js";

const terraform = terraformOnPath();
const hasTerraform = terraform !== undefined;
if (!hasTerraform) {
  console.warn("\n*** NO terraform OR tofu ON PATH: the `opsctl state` end-to-end tests are NOT RUN (set OPSCTL_REQUIRE_TERRAFORM=1 to make this a failure) ***\n");
}

const FAST = ["--in-use-deadline", "20s", "--aet-timeout", "15s", "--poll-interval", "100ms", "--operation-timeout", "20s"];

describe("terraform for the state tests", () => {
  it.runIf(hasTerraform)("GIVEN terraform on PATH THEN it is Terraform >= 1.5 or OpenTofu (the state subcommands opsctl relies on)", () => {
    const out = spawnSync(terraform ?? "terraform", ["version", "-json"], { encoding: "utf8" });
    const version = (JSON.parse(out.stdout) as { terraform_version: string }).terraform_version;
    const [major, minor] = version.split(".").map(Number);
    expect((major ?? 0) > 1 || ((major ?? 0) === 1 && (minor ?? 0) >= 5) || /tofu/i.test(terraform ?? ""), `terraform ${version}`).toBe(true);
  });

  it.runIf(!hasTerraform)("MISSING terraform/tofu on PATH: the `opsctl state` end-to-end tests are NOT RUN", () => {
    expect(process.env.OPSCTL_REQUIRE_TERRAFORM, "OPSCTL_REQUIRE_TERRAFORM=1 but neither terraform nor tofu is on PATH: install terraform >= 1.5").not.toBe("1");
  });
});

describe.runIf(hasTerraform)("opsctl state (terraform on PATH, fake network control plane)", () => {
  let fake: GcpNetworkFake;
  let root: string;
  let dir: string;

  const opsctl = (args: string[], extra: Parameters<typeof runOpsctl>[1] = {}) =>
    runOpsctl(["--env", "dev", "--json", ...args, "--dir", dir], { ...extra, env: { ...fake.env, GOOGLE_CLOUD_PROJECT: undefined, ...extra.env }, timeoutMs: 90_000 });

  /** The world of seed 000 right after `terraform destroy` deleted the connector and failed on the VPC. */
  async function seedIncident(options: { aetLingerMs?: number; operationDelayMs?: number; producerReleaseMs?: number } = {}): Promise<void> {
    fake = await startGcpNetworkFake({ aetLingerMs: options.aetLingerMs ?? 1_500, operationDelayMs: options.operationDelayMs ?? 50, producerReleaseMs: options.producerReleaseMs ?? 0 });
    fake.world
      .addNetwork("wa-dev-vpc")
      .addSubnetwork("wa-dev-subnet", "wa-dev-vpc")
      .addConnector("wa-dev-conn", "wa-dev-vpc")
      .addGlobalAddress("wa-dev-psa-range", "wa-dev-vpc")
      .addPsaConnection("wa-dev-vpc", "wa-dev-psa-range")
      .addRedis("wa-dev-redis", "wa-dev-vpc", DEV_LABELS)
      .addNetwork("default")
      .addFirewall("default-allow-ssh", "default");
    // The destroy already removed the connector: its aet-* rules linger for a while.
    fake.world.connectorDeleted("wa-dev-conn");
    root = makeStacksRoot();
    dir = join(root, "stacks");
    writeStack(root, "network", seedNetworkStateAfterFailedDestroy());
    writeStack(root, "data", [{ type: "google_firestore_database", name: "db", attributes: { id: "projects/wa-bot-dev/databases/(default)", name: "(default)" } }]);
  }

  afterEach(async () => {
    await fake?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  describe("the seed-000 incident", () => {
    // The connector's aet-* rules outlive the doctor run and are awaited by the cleanup.
    beforeEach(() => seedIncident({ aetLingerMs: 6_000 }));

    it("GIVEN a destroy that failed on the VPC WHEN doctor, cleanup, doctor run THEN every blocker is named, removed, the state is backed up and emptied, and doctor ends clean", async () => {
      // GIVEN: deleting the network is refused, naming a user (what `terraform destroy` reported).
      const refused = await fetch(`${fake.env.OPSCTL_COMPUTE_ENDPOINT}/compute/v1/projects/wa-bot-dev/global/networks/wa-dev-vpc`, { method: "DELETE" });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toMatch(/resourceInUseByAnotherResource[\s\S]*|already being used by/);

      // WHEN doctor runs THEN it exits 1 and names the connector rules and the Redis instance.
      const before = await opsctl(["state", "doctor"]);
      expect(before.code, before.stderr).toBe(1);
      const report = before.json?.result as { stacks: { stack: string; orphans: unknown[]; networks: { network: string; blockers: { kind: string; name: string; managedBy?: string; fix: string }[] }[] }[]; leaks: { name: string }[] };
      const network = report.stacks.find((s) => s.stack === "network")?.networks.find((n) => n.network === "wa-dev-vpc");
      const blockers = network?.blockers ?? [];
      expect(blockers.filter((b) => b.kind === "firewall" && b.name.startsWith("aet-")).map((b) => b.name).sort()).toEqual(fake.world.aetRuleNames("wa-dev-conn").sort());
      const redis = blockers.find((b) => b.kind === "redisInstance");
      expect(redis?.name).toBe("wa-dev-redis");
      expect(redis?.managedBy, "a leaked instance is managed by no stack").toBeUndefined();
      expect(blockers.find((b) => b.kind === "subnetwork")).toMatchObject({ name: "wa-dev-subnet", managedBy: "network" });
      expect(report.leaks.map((l) => l.name)).toEqual(["wa-dev-redis"]);

      // Transient faults on the way are retried, not fatal.
      fake.fakes.compute.injectFault(503, 2, /^GET .*\/firewalls$/);
      fake.fakes.redis.injectFault(429, 1, /^DELETE /);

      const cleanup = await opsctl(["state", "cleanup", "--stack", "network", "--yes", ...FAST]);
      expect(cleanup.code, cleanup.stderr).toBe(0);
      const result = cleanup.json?.result as { steps: { kind: string; name: string; outcome: string }[]; backups: { stack: string; file: string; removed: string[]; restoreCommand: string }[]; doctor: { problems: number } };
      // The teardown order of DESIGN.md: Redis → aet rules → PSA connection → address → subnet → network.
      expect(result.steps.map((s) => `${s.kind}:${s.name}`)).toEqual([
        "redisInstance:wa-dev-redis",
        ...fake.world.aetRuleNames("wa-dev-conn").sort().map((n) => `firewall:${n}`),
        "psaConnection:wa-dev-vpc",
        "globalAddress:wa-dev-psa-range",
        "subnetwork:wa-dev-subnet",
        "network:wa-dev-vpc",
      ]);
      expect(result.steps.filter((s) => s.kind === "firewall").map((s) => s.outcome)).toEqual(["removed-by-google", "removed-by-google"]);
      expect(fake.world.networks.has("wa-dev-vpc")).toBe(false);
      expect(fake.world.redis.size).toBe(0);
      expect(fake.world.networks.has("default")).toBe(true);
      expect(fake.world.firewalls.has("default-allow-ssh")).toBe(true);

      // The state: backed up, then emptied of orphans by the real terraform.
      expect(result.backups).toHaveLength(1);
      const backup = result.backups[0];
      expect(backup?.removed.sort()).toEqual(["google_compute_global_address.psa_range", "google_compute_network.vpc", "google_compute_subnetwork.subnet", "google_service_networking_connection.psa"]);
      expect(existsSync(backup?.file ?? "")).toBe(true);
      expect(JSON.parse(readFileSync(backup?.file ?? "", "utf8")).resources).toHaveLength(4);
      expect(backup?.restoreCommand).toContain(`opsctl state restore --env dev --stack network --dir ${dir} --from ${backup?.file}`);
      expect(readStateFile(root, "network").resources).toEqual([]);
      expect(readStateFile(root, "data").resources).toHaveLength(1);
      expect(cleanup.stderr).toContain("to restore it: opsctl state restore");
      expect(result.doctor.problems).toBe(0);

      const after = await opsctl(["state", "doctor"]);
      expect(after.code, after.stdout + after.stderr).toBe(0);

      // The backup restores (same lineage; Terraform's own push checks pass).
      const restore = await opsctl(["state", "restore", "--stack", "network", "--from", backup?.file ?? "", "--yes"]);
      expect(restore.code, restore.stderr).toBe(0);
      const restored = readStateFile(root, "network");
      expect(restored.resources.map((r) => `${r.type}.${r.name}`).sort()).toEqual(backup?.removed.sort());
      expect(restored.lineage).toBe("lineage-network-0001");
    });

    it("GIVEN --dry-run WHEN cleanup runs THEN it prints the ordered plan and makes no mutating call and no state change", async () => {
      const stateBefore = readFileSync(join(dir, "network", "terraform.network.tfstate"), "utf8");
      const r = await opsctl(["state", "cleanup", "--stack", "network", "--dry-run", ...FAST]);
      expect(r.code, r.stderr).toBe(0);
      const result = r.json?.result as { dryRun: boolean; plan: { description: string; command: string }[]; stateRemovals: { stack: string; addresses: string[] }[] };
      expect(result.dryRun).toBe(true);
      expect(result.plan[0]?.command).toBe("gcloud redis instances delete wa-dev-redis --region southamerica-east1 --project wa-bot-dev");
      expect(result.plan.at(-1)?.command).toBe("gcloud compute networks delete wa-dev-vpc --project wa-bot-dev");
      expect(result.stateRemovals[0]?.addresses).toHaveLength(4);
      expect(fake.mutatingCalls()).toEqual([]);
      expect(readFileSync(join(dir, "network", "terraform.network.tfstate"), "utf8")).toBe(stateBefore);
      expect(existsSync(join(dir, "network.state-backups"))).toBe(false);
    });

    it("GIVEN no TTY and no --yes WHEN cleanup runs THEN it refuses with exit 4 and changes nothing", async () => {
      const r = await opsctl(["state", "cleanup", ...FAST]);
      expect(r.code).toBe(4);
      expect(r.json?.error?.code).toBe("confirmation_required");
      expect(fake.mutatingCalls()).toEqual([]);
    });

    it("GIVEN bad input THEN unknown stack, missing synth output and unknown network are clear usage errors (exit 2)", async () => {
      const stack = await opsctl(["state", "doctor", "--stack", "frontend"]);
      expect(stack.code).toBe(2);
      expect(stack.json?.error?.message).toMatch(/frontend/);

      const missing = await opsctl(["state", "cleanup", "--stack", "services", "--yes"]);
      expect(missing.code).toBe(2);
      expect(missing.json?.error?.message).toContain("has no synthesized output");
      expect(missing.json?.error?.hint).toContain("opsctl synth");

      const network = await opsctl(["state", "cleanup", "--network", "wa-dev-typo", "--yes", ...FAST]);
      expect(network.code).toBe(2);
      expect(network.json?.error?.message).toContain('unknown network "wa-dev-typo"');
      expect(network.json?.error?.hint).toContain("wa-dev-vpc");
      expect(fake.mutatingCalls()).toEqual([]);
    });
  });

  it("GIVEN a cleanup interrupted with Ctrl-C WHEN it is run again THEN it continues where it stopped and finishes clean", async () => {
    await seedIncident({ operationDelayMs: 1_500, aetLingerMs: 500 });
    let child: ChildProcess | undefined;
    let interrupted = false;
    const first = runOpsctl(["--env", "dev", "state", "cleanup", "--yes", "--dir", dir, ...FAST], {
      env: fake.env,
      onSpawn: (c) => {
        child = c;
        c.stderr?.on("data", (chunk: Buffer) => {
          if (!interrupted && chunk.toString().includes("[1/")) {
            interrupted = true;
            setTimeout(() => child?.kill("SIGINT"), 200);
          }
        });
      },
    });
    const r1 = await first;
    expect(interrupted).toBe(true);
    expect(r1.code, r1.stderr).toBe(130);
    // Interrupted mid-step: the network and the state are untouched.
    expect(fake.world.networks.has("wa-dev-vpc")).toBe(true);
    expect(readStateFile(root, "network").resources).toHaveLength(4);

    const r2 = await opsctl(["state", "cleanup", "--yes", ...FAST]);
    expect(r2.code, r2.stderr).toBe(0);
    const result = r2.json?.result as { steps: { kind: string; outcome: string }[] };
    expect(result.steps.at(-1)).toMatchObject({ kind: "network", outcome: "deleted" });
    expect(fake.world.networks.has("wa-dev-vpc")).toBe(false);
    expect(readStateFile(root, "network").resources).toEqual([]);
  });

  it("GIVEN another terraform run holds the state lock WHEN cleanup runs THEN it refuses with exit 4 naming the holder, before any change", async () => {
    fake = await startGcpNetworkFake();
    fake.world.addNetwork("wa-dev-vpc");
    root = makeStacksRoot();
    dir = join(root, "stacks");
    const stackDir = writeStack(root, "network", []);
    // A real terraform apply holds the lock on the stack's local state while its provisioner sleeps
    // (terraform_data and local-exec are built in: no provider download).
    const holderDir = join(root, "holder");
    rmSync(holderDir, { recursive: true, force: true });
    const { mkdirSync } = await import("node:fs");
    mkdirSync(holderDir);
    writeFileSync(
      join(holderDir, "main.tf.json"),
      JSON.stringify({
        terraform: { backend: { local: { path: join(stackDir, "terraform.network.tfstate") } } },
        resource: { terraform_data: { keep: {}, holder: { provisioner: [{ "local-exec": { command: "sleep 30" } }] } } },
      }),
    );
    const env = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
    const init = spawn(terraform ?? "terraform", ["init", "-input=false", "-no-color"], { cwd: holderDir, env, stdio: "ignore" });
    expect(await new Promise((resolve) => init.once("close", resolve))).toBe(0);
    const holder = spawn(terraform ?? "terraform", ["apply", "-auto-approve", "-no-color"], { cwd: holderDir, env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = "";
        holder.stdout?.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("Executing:")) resolve();
        });
        holder.once("close", () => reject(new Error(`holder exited early: ${out}`)));
      });
      const r = await opsctl(["state", "cleanup", "--network", "wa-dev-vpc", "--yes", ...FAST]);
      expect(r.code, r.stdout + r.stderr).toBe(4);
      expect(r.json?.error?.code).toBe("state_locked");
      expect(r.json?.error?.message).toMatch(/locked by \S+@\S+/);
      expect(r.json?.error?.hint).toContain("--force-unlock");
      expect(r.json?.error?.runbook).toBe("runbooks/terraform-state-drift.md");
      expect(fake.mutatingCalls()).toEqual([]);
      expect(fake.world.networks.has("wa-dev-vpc")).toBe(true);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("GIVEN aet-* rules that outlive --aet-timeout WHEN cleanup runs THEN it deletes them and leaves a timestamped backup next to the stack", async () => {
    await seedIncident({ aetLingerMs: 600_000 });
    const r = await opsctl(["state", "cleanup", "--yes", ...FAST, "--aet-timeout", "300ms"]);
    expect(r.code, r.stderr).toBe(0);
    const steps = (r.json?.result as { steps: { kind: string; outcome: string }[] } | undefined)?.steps ?? [];
    expect(steps.filter((s) => s.kind === "firewall").map((s) => s.outcome)).toEqual(["deleted", "deleted"]);
    expect(r.stderr).toContain("outlived --aet-timeout");
    const files = readdirSync(join(dir, "network.state-backups"));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^network-\d{8}T\d{6}Z-serial7\.tfstate$/);
  });

  it("GIVEN a PSA connection that keeps saying producers still use it WHEN the in-use deadline passes THEN cleanup removes the peering instead and finishes", async () => {
    await seedIncident({ aetLingerMs: 0, producerReleaseMs: 600_000 });
    const r = await opsctl(["state", "cleanup", "--yes", ...FAST, "--in-use-deadline", "1s"]);
    expect(r.code, r.stderr).toBe(0);
    const steps = (r.json?.result as { steps: { kind: string; outcome: string }[] } | undefined)?.steps ?? [];
    expect(steps.find((s) => s.kind === "psaConnection")?.outcome).toBe("peering-removed");
    expect(r.stderr).toContain("Producer services (e.g. CloudSQL, Cloud Memstore, etc.) are still using this connection");
    expect(fake.fakes.compute.mutatingCalls().some((c) => c.path.endsWith("/removePeering"))).toBe(true);
    expect(fake.world.networks.has("wa-dev-vpc")).toBe(false);
  });

  it("GIVEN a network that stays in use past the deadline WHEN cleanup gives up THEN it exits 3 naming the blocker and the runbook", async () => {
    await seedIncident({ aetLingerMs: 0 });
    // A VM's network interface: not something cleanup tears down.
    fake.world.foreignUsers.set("projects/wa-bot-dev/zones/southamerica-east1-a/instances/bastion", "wa-dev-vpc");
    const r = await opsctl(["state", "cleanup", "--yes", ...FAST, "--in-use-deadline", "1s"]);
    expect(r.code, r.stdout).toBe(3);
    expect(r.json?.error?.code).toBe("resource_in_use");
    expect(r.json?.error?.message).toContain("delete network wa-dev-vpc");
    expect(r.json?.error?.message).toContain("already being used by 'projects/wa-bot-dev/zones/southamerica-east1-a/instances/bastion'");
    expect(r.json?.error?.runbook).toBe("runbooks/vpc-deletion-stuck.md");
    expect(r.json?.error?.hint).toContain("continues where it stopped");
    expect(fake.world.networks.has("wa-dev-vpc")).toBe(true);
  });

  it("GIVEN every kind of holder across three stacks WHEN cleanup runs THEN it tears them down in order, cleans all three states and leaves other services alone", async () => {
    fake = await startGcpNetworkFake({ aetLingerMs: 500, operationDelayMs: 30 });
    const P = "projects/wa-bot-dev";
    fake.world
      .addNetwork("wa-dev-vpc")
      .addSubnetwork("wa-dev-subnet", "wa-dev-vpc")
      .addSubnetwork("wa-dev-subnet-us", "wa-dev-vpc", "us-central1")
      .addConnector("wa-dev-conn", "wa-dev-vpc")
      .addFirewall("wa-dev-allow-health", "wa-dev-vpc")
      .addRoute("wa-dev-to-onprem", "wa-dev-vpc")
      .addGlobalAddress("wa-dev-psa-range", "wa-dev-vpc")
      .addPsaConnection("wa-dev-vpc", "wa-dev-psa-range")
      .addRedis("wa-dev-redis", "wa-dev-vpc", DEV_LABELS)
      .addRunService({ name: "wa-dev-api", labels: DEV_LABELS, connector: "wa-dev-conn" })
      .addRunService({ name: "wa-dev-worker", labels: DEV_LABELS, directEgress: { network: "wa-dev-vpc", subnetwork: "wa-dev-subnet" } })
      .addRunService({ name: "other-app" });
    root = makeStacksRoot();
    dir = join(root, "stacks");
    writeStack(root, "network", [
      ...seedNetworkStateAfterFailedDestroy(),
      { type: "google_compute_subnetwork", name: "subnet_us", attributes: { name: "wa-dev-subnet-us", region: "us-central1" } },
      { type: "google_vpc_access_connector", name: "conn", attributes: { id: `${P}/locations/southamerica-east1/connectors/wa-dev-conn`, name: "wa-dev-conn" } },
      { type: "google_compute_firewall", name: "health", attributes: { name: "wa-dev-allow-health" } },
      { type: "google_compute_route", name: "onprem", attributes: { name: "wa-dev-to-onprem" } },
    ]);
    writeStack(root, "data", [{ type: "google_redis_instance", name: "cache", attributes: { id: `${P}/locations/southamerica-east1/instances/wa-dev-redis`, name: "wa-dev-redis" } }]);
    writeStack(root, "services", [
      { type: "google_cloud_run_v2_service", name: "api", attributes: { name: "wa-dev-api", location: "southamerica-east1" } },
      { type: "google_cloud_run_v2_service", name: "worker", attributes: { name: "wa-dev-worker", location: "southamerica-east1" } },
    ]);

    const before = await opsctl(["state", "doctor"]);
    expect(before.code, before.stdout).toBe(0); // every holder is managed by a stack: nothing has drifted yet

    const r = await opsctl(["state", "cleanup", "--stack", "network", "--yes", ...FAST]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const result = r.json?.result as { steps: { kind: string; name: string; outcome: string }[]; backups: { stack: string; removed: string[] }[] };
    expect(result.steps.map((s) => `${s.kind}:${s.name}`)).toEqual([
      "runService:wa-dev-api",
      "runService:wa-dev-worker",
      "redisInstance:wa-dev-redis",
      "connector:wa-dev-conn",
      ...fake.world.aetRuleNames("wa-dev-conn").sort().map((n) => `firewall:${n}`),
      "psaConnection:wa-dev-vpc",
      "globalAddress:wa-dev-psa-range",
      "firewall:wa-dev-allow-health",
      "route:wa-dev-to-onprem",
      "subnetwork:wa-dev-subnet",
      "subnetwork:wa-dev-subnet-us",
      "network:wa-dev-vpc",
    ]);
    expect(result.steps.filter((s) => s.name.startsWith("aet-")).map((s) => s.outcome)).toEqual(["removed-by-google", "removed-by-google"]);
    expect(result.backups.map((b) => `${b.stack}:${b.removed.length}`).sort()).toEqual(["data:1", "network:8", "services:2"]);
    for (const stack of ["network", "data", "services"]) expect(readStateFile(root, stack).resources, stack).toEqual([]);
    expect([...fake.world.runServices.keys()]).toEqual(["other-app"]);
    expect(fake.world.subnetworks.size).toBe(0);

    const after = await opsctl(["state", "doctor"]);
    expect(after.code, after.stdout).toBe(0);
  });

  it("GIVEN --force-unlock with an ID whose lock is already released WHEN cleanup runs THEN it says so and carries on", async () => {
    await seedIncident({ aetLingerMs: 0 });
    const r = await opsctl(["state", "cleanup", "--yes", "--force-unlock", "1111-2222", ...FAST]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain("force-unlocking the state of stack network (lock 1111-2222) as asked");
    expect(r.stderr).toContain("was not locked: nothing to unlock");
    expect(readStateFile(root, "network").resources).toEqual([]);
  });
});
