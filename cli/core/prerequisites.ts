/**
 * Finds the local programs opsctl and its tests use (redis-server, gcloud emulators, terraform),
 * without running gcloud (it costs over a second to start). Shared by `opsctl doctor` and the
 * test harness, so both agree on what "installed" means.
 */
import { accessSync, constants, existsSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The Cloud SDK root: CLOUDSDK_ROOT_DIR, else two levels above the resolved gcloud binary. */
export function gcloudSdkRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CLOUDSDK_ROOT_DIR && existsSync(env.CLOUDSDK_ROOT_DIR)) return env.CLOUDSDK_ROOT_DIR;
  const gcloud = findExecutable("gcloud", env);
  if (!gcloud) return undefined;
  return dirname(dirname(realpathSync(gcloud)));
}

export interface EmulatorInstall {
  /** the jar (Firestore) or launcher script (Pub/Sub) that starts the emulator directly */
  path: string;
  kind: "firestore" | "pubsub";
}

export function findEmulator(kind: "firestore" | "pubsub", env: NodeJS.ProcessEnv = process.env): EmulatorInstall | undefined {
  const root = gcloudSdkRoot(env);
  if (!root) return undefined;
  const path =
    kind === "firestore"
      ? join(root, "platform", "cloud-firestore-emulator", "cloud-firestore-emulator.jar")
      : join(root, "platform", "pubsub-emulator", "bin", "cloud-pubsub-emulator");
  return existsSync(path) ? { path, kind } : undefined;
}

export const INSTALL_HINTS = {
  "redis-server": "apt-get install -y redis-server (Debian/Ubuntu) or brew install redis",
  java: "apt-get install -y default-jre-headless (the gcloud emulators run on Java)",
  gcloud: "install the Google Cloud CLI: https://cloud.google.com/sdk/docs/install",
  firestore: "gcloud components install cloud-firestore-emulator (or apt-get install google-cloud-cli-firestore-emulator)",
  pubsub: "gcloud components install pubsub-emulator (or apt-get install google-cloud-cli-pubsub-emulator)",
  terraform: "install terraform >= 1.5 or OpenTofu (tofu) and put it on PATH",
} as const;
