/**
 * The only place that writes to stdout/stderr. Commands return data; this layer prints either
 * human text or one JSON envelope on stdout, and logs on stderr. Everything passes through redact().
 */
import { redact } from "./redact.js";

export interface OutputStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export type LogFormat = "text" | "json";

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  /** one structured event (finding, repair, rotation, rollback): a JSON line under --log-format json */
  event(event: string, fields: Record<string, unknown>, severity?: "INFO" | "WARNING" | "ERROR"): void;
}

export interface LoggerOptions {
  verbose: boolean;
  quiet: boolean;
  format: LogFormat;
  command: string;
  color: boolean;
}

const SEVERITY = { info: "INFO", warn: "WARNING", error: "ERROR", debug: "DEBUG" } as const;

export function createLogger(streams: OutputStreams, options: LoggerOptions): Logger {
  const write = (level: keyof typeof SEVERITY, message: string, fields?: Record<string, unknown>, event?: string) => {
    if (level === "debug" && !options.verbose) return;
    if (options.quiet && (level === "info" || level === "debug") && event === undefined) return;
    if (options.format === "json") {
      // Cloud Logging reads `severity` and `message` from JSON lines on stderr/stdout of Cloud Run.
      const line = { severity: SEVERITY[level], message, component: "opsctl", command: options.command, ...(event ? { event } : {}), ...fields, time: new Date().toISOString() };
      streams.stderr.write(`${redact(JSON.stringify(line))}\n`);
      return;
    }
    const prefix = level === "info" ? "" : `${level}: `;
    const tail = fields && Object.keys(fields).length > 0 ? ` ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ")}` : "";
    streams.stderr.write(`${redact(`${prefix}${message}${tail}`)}\n`);
  };
  return {
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    debug: (m, f) => write("debug", m, f),
    event: (event, fields, severity = "INFO") => write(severity === "ERROR" ? "error" : severity === "WARNING" ? "warn" : "info", event, fields, event),
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
