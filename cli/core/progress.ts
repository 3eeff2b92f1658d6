/**
 * Progress on stderr, only on a TTY and never under --json or NO_COLOR: a single line rewritten in
 * place, throttled so a fast loop does not spend its time drawing.
 */
export interface Progress {
  update(done: number, detail?: string): void;
  done(summary?: string): void;
}

export interface ProgressOptions {
  enabled: boolean;
  stream: NodeJS.WritableStream;
  label: string;
  total?: number;
  /** minimum milliseconds between redraws */
  intervalMs?: number;
}

const silent: Progress = { update: () => {}, done: () => {} };

export function createProgress(options: ProgressOptions): Progress {
  if (!options.enabled) return silent;
  const started = Date.now();
  let last = 0;
  const interval = options.intervalMs ?? 100;
  const draw = (done: number, detail?: string) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const of = options.total ? `/${options.total} (${Math.floor((done / options.total) * 100)}%)` : "";
    options.stream.write(`\r\x1b[2K${options.label}: ${done}${of} ${rate}/s${detail ? ` ${detail}` : ""}`);
  };
  return {
    update(done, detail) {
      const now = Date.now();
      if (now - last < interval) return;
      last = now;
      draw(done, detail);
    },
    done(summary) {
      options.stream.write(`\r\x1b[2K${summary ? `${options.label}: ${summary}\n` : ""}`);
    },
  };
}
