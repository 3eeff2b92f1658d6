/**
 * What every command receives: the global flags, a logger, progress, the confirmation guard, the
 * resolved configuration and an abort signal wired to Ctrl-C.
 */
import { ExitCode } from "./exit-codes.js";
import { OpsError, usageError } from "./errors.js";
import { confirmMutation } from "./confirm.js";
import { createLogger, type LogFormat, type Logger, type OutputStreams } from "./output.js";
import { createProgress, type Progress } from "./progress.js";
import type { EnvironmentConfig } from "../../config/schema.js";

export interface GlobalOptions {
  env?: string;
  config?: string;
  project?: string;
  region?: string;
  json: boolean;
  dryRun: boolean;
  yes: boolean;
  verbose: boolean;
  logFormat: LogFormat;
}

export interface CommandContext {
  command: string;
  global: GlobalOptions;
  log: Logger;
  streams: OutputStreams;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** aborted on the first Ctrl-C; long commands stop cleanly and throw InterruptedError */
  signal: AbortSignal;
  /** colour and progress are allowed (TTY, no NO_COLOR, not --json) */
  interactive: boolean;
  progress(label: string, total?: number): Progress;
  confirm(question: string, equivalentCommands?: string[]): Promise<void>;
  /** the environment document of --env/--config, validated; exit 2 with every issue when invalid */
  loadConfig(): Promise<EnvironmentConfig>;
  /** project id: --project > GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT > config */
  projectId(config?: EnvironmentConfig): string;
  region(config?: EnvironmentConfig): string;
}

export interface ContextInit {
  command: string;
  global: GlobalOptions;
  streams: OutputStreams;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
}

export function createContext(init: ContextInit): CommandContext {
  const { global, streams, env } = init;
  const stderrTty = (streams.stderr as { isTTY?: boolean }).isTTY === true;
  const interactive = stderrTty && !global.json && env.NO_COLOR === undefined && global.logFormat === "text";
  // `env` on every log line: the loaded document's name once known, else --env / OPSCTL_ENV.
  let loadedEnvironment: string | undefined;
  const log = createLogger(streams, { verbose: global.verbose, quiet: false, format: global.logFormat, command: init.command, color: interactive, env: () => loadedEnvironment ?? global.env });
  let cached: Promise<EnvironmentConfig> | undefined;

  const loadConfig = (): Promise<EnvironmentConfig> => {
    cached ??= (async () => {
      const { loadConfigFile, environmentFile, ConfigFileError } = await import("../../config/load.js");
      let file: string;
      try {
        if (global.config) file = global.config;
        else if (global.env) file = environmentFile(global.env);
        else throw usageError("no environment selected", "pass --env NAME (config/NAME.yaml) or --config FILE, or set OPSCTL_ENV");
        const loaded = loadConfigFile(file);
        loadedEnvironment = loaded.config?.environment;
        for (const w of loaded.issues.filter((i) => i.severity === "warning")) log.warn(`${w.path}: ${w.message}`);
        if (!loaded.config) {
          const errors = loaded.issues.filter((i) => i.severity === "error");
          throw new OpsError(`${file} is invalid (${errors.length} problem${errors.length === 1 ? "" : "s"}):\n${errors.map((e) => `  ${e.path}: ${e.message}`).join("\n")}`, {
            code: "config_invalid",
            exitCode: ExitCode.usage,
            hint: "fix the fields listed above; `opsctl config schema` prints the JSON Schema",
            details: errors,
          });
        }
        return loaded.config;
      } catch (err) {
        if (err instanceof ConfigFileError) throw new OpsError(err.message, { code: "config_file", exitCode: ExitCode.usage, hint: err.hint, cause: err });
        throw err;
      }
    })();
    return cached;
  };

  return {
    command: init.command,
    global,
    log,
    streams,
    stdin: init.stdin,
    signal: init.signal,
    interactive,
    progress: (label, total) => createProgress({ enabled: interactive, stream: streams.stderr, label, total }),
    confirm: (question, equivalentCommands) => confirmMutation(question, { yes: global.yes, dryRun: global.dryRun, stdin: init.stdin, stderr: streams.stderr, equivalentCommands }),
    loadConfig,
    projectId(config) {
      const id = global.project ?? env.GOOGLE_CLOUD_PROJECT ?? env.CLOUDSDK_CORE_PROJECT ?? config?.project.id;
      if (!id) throw usageError("no Google Cloud project", "pass --project, set GOOGLE_CLOUD_PROJECT, or select an environment with --env");
      return id;
    },
    region(config) {
      const region = global.region ?? env.CLOUDSDK_RUN_REGION ?? config?.project.region;
      if (!region) throw usageError("no region", "pass --region or select an environment with --env");
      return region;
    },
  };
}
