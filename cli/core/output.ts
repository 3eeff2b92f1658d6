/**
 * The only place that writes to stdout/stderr. Commands return data; this layer prints either
 * human text or one JSON envelope on stdout, and logs on stderr. Everything passes through redact().
 */
import { DEFAULT_EVENT_SEVERITY, isLogEventName, LOG_COMPONENT, type LogEventName } from "./log-event-names.js";
import type { LogEventFields } from "./log-events.js";
import { redact } from "./redact.js";

export interface OutputStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export type LogFormat = "text" | "json";

/** Fields of `log.event(name, ...)`: typed for the events of cli/core/log-events.ts, free-form otherwise. */
export type EventFields<N extends string> = N extends LogEventName ? LogEventFields[N] : Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  /**
   * one structured event (finding, repair, rotation, rollback): a JSON line under --log-format json
   * that follows cli/core/log-events.ts; severity defaults to the event's (DEFAULT_EVENT_SEVERITY)
   */
  event<N extends string>(event: N, fields: EventFields<N>, severity?: "INFO" | "WARNING" | "ERROR"): void;
}

export interface LoggerOptions {
  verbose: boolean;
  quiet: boolean;
  format: LogFormat;
  command: string;
  color: boolean;
  /** the environment name for the `env` field, read at write time (known once the config is loaded) */
  env?: () => string | undefined;
}

/** Keys the logger owns: a caller's field of the same name must not overwrite them. */
const RESERVED_FIELDS = new Set(["severity", "component", "command", "event", "env", "time"]);

const SEVERITY = { info: "INFO", warn: "WARNING", error: "ERROR", debug: "DEBUG" } as const;

export function createLogger(streams: OutputStreams, options: LoggerOptions): Logger {
  const write = (level: keyof typeof SEVERITY, message: string, fields?: Record<string, unknown>, event?: string) => {
    if (level === "debug" && !options.verbose) return;
    if (options.quiet && (level === "info" || level === "debug") && event === undefined) return;
    if (options.format === "json") {
      // Cloud Logging reads `severity` and `message` from JSON lines on stderr/stdout of Cloud Run;
      // the log-based metrics select `component` + `event` (schema: cli/core/log-events.ts).
      const env = options.env?.() ?? (event ? "unknown" : undefined);
      const extra = Object.fromEntries(Object.entries(fields ?? {}).filter(([k]) => !RESERVED_FIELDS.has(k) && k !== "message"));
      const text = typeof fields?.message === "string" ? fields.message : message;
      const line = { severity: SEVERITY[level], message: text, component: LOG_COMPONENT, command: options.command, ...(event ? { event } : {}), ...(env ? { env } : {}), ...extra, time: new Date().toISOString() };
      streams.stderr.write(`${redact(JSON.stringify(line))}\n`);
      return;
    }
    const prefix = level === "info" ? "" : `${level}: `;
    const tail = fields && Object.keys(fields).length > 0 ? ` ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ")}` : "";
    streams.stderr.write(`${redact(`${prefix}${message}${tail}`)}\n`);
  };
  const levelOf = (severity: "INFO" | "WARNING" | "ERROR"): keyof typeof SEVERITY => (severity === "ERROR" ? "error" : severity === "WARNING" ? "warn" : "info");
  return {
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    debug: (m, f) => write("debug", m, f),
    event: (event, fields, severity) => {
      const fallback = isLogEventName(event) ? DEFAULT_EVENT_SEVERITY[event] : "INFO";
      write(levelOf(severity ?? (fallback === "DEBUG" ? "INFO" : fallback)), event, fields, event);
    },
  };
}

export interface Envelope {
  ok: boolean;
  command: string;
  result?: unknown;
  error?: { code: string; exitCode: number; message: string; hint?: string; runbook?: string; details?: unknown };
}

export function writeJson(streams: OutputStreams, envelope: Envelope): void {
  streams.stdout.write(`${redact(JSON.stringify(envelope, null, 2))}\n`);
}

export function writeText(stream: NodeJS.WritableStream, text: string): void {
  if (text === "") return;
  stream.write(`${redact(text)}${text.endsWith("\n") ? "" : "\n"}`);
}

/**
 * Plain aligned columns, no box drawing: on-call engineers paste these into tickets and grep them.
 */
export function formatTable(headers: string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | undefined>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === undefined ? "-" : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd()).join("\n");
}
