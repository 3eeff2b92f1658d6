/**
 * Real servers for integration tests, each on a free loopback port: redis-server (no persistence),
 * a Redis Cluster, the Firestore emulator and the Pub/Sub emulator. Every start fails early naming
 * the missing binary and how to install it; every server is killed when the process exits.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findEmulator, findExecutable, INSTALL_HINTS } from "../../cli/core/prerequisites.js";
import { freePort } from "./free-port.js";

export interface RunningServer {
  host: string;
  port: number;
  /** host:port */
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export class MissingPrerequisiteError extends Error {}

function requireBinary(name: string, hint: string): string {
  const path = findExecutable(name);
  if (!path) throw new MissingPrerequisiteError(`${name} is not installed; the integration tests need it. Install: ${hint}`);
  return path;
}

function waitForPort(port: number, child: ChildProcess, what: string, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`${what} exited with ${child.exitCode} before listening:\n${output()}`));
      const socket = createConnection({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`${what} did not listen on ${port} within ${timeoutMs} ms:\n${output()}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

async function launch(what: string, command: string, args: string[], port: number, timeoutMs: number, readyText?: RegExp): Promise<RunningServer> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let log = "";
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  await waitForPort(port, child, what, timeoutMs, () => log);
  if (readyText) {
    const deadline = Date.now() + timeoutMs;
    while (!readyText.test(log) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  }
  return {
    host: "127.0.0.1",
    port,
    address: `127.0.0.1:${port}`,
    process: child,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(child);
      return resolve();
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    child.once("exit", () => {
      clearTimeout(timer);
      running.delete(child);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export interface RedisOptions {
  password?: string;
  port?: number;
  /** extra `--name value` arguments */
  args?: string[];
}

export async function startRedis(options: RedisOptions = {}): Promise<RunningServer & { url: string }> {
  const bin = requireBinary("redis-server", INSTALL_HINTS["redis-server"]);
  const port = options.port ?? (await freePort());
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no", ...(options.password ? ["--requirepass", options.password] : []), ...(options.args ?? [])];
  const server = await launch("redis-server", bin, args, port, 10_000);
  return { ...server, url: `redis://127.0.0.1:${port}` };
}

export interface RedisCluster {
  nodes: RunningServer[];
  /** seed addresses for a cluster client */
  seeds: { host: string; port: number }[];
  stop(): Promise<void>;
}

/** A real Redis Cluster of `masters` nodes (no replicas), slots assigned with redis-cli. */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const cli = requireBinary("redis-cli", INSTALL_HINTS["redis-server"]);
  const dir = mkdtempSync(join(tmpdir(), "opsctl-cluster-"));
  const nodes: RunningServer[] = [];
  for (let i = 0; i < masters; i++) {
    nodes.push(await startRedis({ args: ["--cluster-enabled", "yes", "--cluster-config-file", join(dir, `nodes-${i}.conf`), "--cluster-node-timeout", "2000", "--dir", dir] }));
  }
  await new Promise<void>((resolve, reject) => {
    const create = spawn(cli, ["--cluster", "create", ...nodes.map((n) => n.address), "--cluster-replicas", "0", "--cluster-yes"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    create.stdout.on("data", (c: Buffer) => (out += c.toString()));
    create.stderr.on("data", (c: Buffer) => (out += c.toString()));
    create.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli --cluster create failed (${code}):\n${out}`))));
  });
  // Wait until every node reports the cluster as ok.
  const deadline = Date.now() + 10_000;
  for (const node of nodes) {
    for (;;) {
      const info = await new Promise<string>((resolve) => {
        const p = spawn(cli, ["-p", String(node.port), "cluster", "info"]);
        let s = "";
        p.stdout.on("data", (c: Buffer) => (s += c.toString()));
        p.once("exit", () => resolve(s));
      });
      if (info.includes("cluster_state:ok")) break;
      if (Date.now() > deadline) throw new Error(`cluster node ${node.address} not ok: ${info}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    nodes,
    seeds: nodes.map((n) => ({ host: n.host, port: n.port })),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startFirestoreEmulator(): Promise<RunningServer> {
  const java = requireBinary("java", INSTALL_HINTS.java);
  const emulator = findEmulator("firestore");
  if (!emulator) throw new MissingPrerequisiteError(`the Firestore emulator is not installed. Install: ${INSTALL_HINTS.firestore}`);
  const port = await freePort();
  // Running the jar directly skips gcloud's own start-up (~0.6 s faster than `gcloud emulators firestore start`).
  return launch(
    "Firestore emulator",
    java,
    ["-Duser.language=en", "-cp", emulator.path, "com.google.cloud.datastore.emulator.firestore.CloudFirestore", "start", "--host=127.0.0.1", `--port=${port}`],
    port,
    60_000,
    /API endpoint|Dev App Server is now running|Ok/,
  );
}

export async function startPubsubEmulator(): Promise<RunningServer> {
  requireBinary("java", INSTALL_HINTS.java);
  const emulator = findEmulator("pubsub");
  if (!emulator) throw new MissingPrerequisiteError(`the Pub/Sub emulator is not installed. Install: ${INSTALL_HINTS.pubsub}`);
  const port = await freePort();
  return launch("Pub/Sub emulator", emulator.path, ["--host=127.0.0.1", `--port=${port}`], port, 60_000, /Server started/);
}
