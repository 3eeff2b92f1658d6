/** Exit codes of every opsctl command (DESIGN.md "The CLI"); README and --help print this table. */
export const ExitCode = {
  ok: 0,
  /** the check ran and found problems: unhealthy, drift, inconsistencies */
  findings: 1,
  /** usage or configuration error */
  usage: 2,
  /** a remote/API call failed after the client's retries */
  remote: 3,
  /** refused for safety: lock held, confirmation declined, no TTY without --yes */
  refused: 4,
  /** a bug in opsctl */
  internal: 70,
  /** interrupted by SIGINT/SIGTERM */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_TABLE: ReadonlyArray<[ExitCodeValue, string]> = [
  [0, "ok"],
  [1, "the check found problems (unhealthy, drift, inconsistencies, policy errors)"],
  [2, "usage or configuration error"],
  [3, "remote/API failure after retries"],
  [4, "refused for safety (lock held, confirmation declined, no TTY without --yes)"],
  [70, "internal error (a bug: please report it with `opsctl --version`)"],
  [130, "interrupted"],
];
