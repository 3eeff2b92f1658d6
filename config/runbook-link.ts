/**
 * Every alert leads to a runbook. `withRunbook` is the one way an alert policy gets its
 * documentation; `runbookNameIn` is the one way to read the link back (the synth aspect and the
 * `alert-without-runbook` policy rule both use it). No provider import: cli/ and the rules may load it.
 */

/** A link to `runbooks/<name>.md`, relative or under any base URL. */
const RUNBOOK_LINK = /(?:^|[/(\s[])runbooks\/([a-z0-9][a-z0-9-]*)\.md\b/;

/** The runbook named by an alert's documentation content, if any. */
export function runbookNameIn(content: string | undefined): string | undefined {
  if (typeof content !== "string") return undefined;
  return RUNBOOK_LINK.exec(content)?.[1];
}

export function runbookUrl(baseUrl: string, runbook: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/runbooks/${runbook}.md`;
}

export interface RunbookDocumentationInput {
  /** runbook file name without extension: runbooks/<runbook>.md */
  readonly runbook: string;
  /** base URL of the repository browser, e.g. https://github.com/org/repo/blob/main */
  readonly baseUrl: string;
  /** one or two sentences: what fired and what to look at first */
  readonly summary: string;
  /** environment name, shown in the notification subject */
  readonly environment: string;
  readonly displayName: string;
}

/** The `documentation` block of an alert policy (the provider's MonitoringAlertPolicyDocumentation shape). */
export interface AlertDocumentation {
  readonly content: string;
  readonly mimeType: "text/markdown";
  readonly subject: string;
  readonly links: { readonly displayName: string; readonly url: string }[];
}

export function withRunbook(input: RunbookDocumentationInput): AlertDocumentation {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(input.runbook)) throw new Error(`runbook "${input.runbook}" is not a runbook file name (runbooks/<name>.md, lowercase and dashes)`);
  const url = runbookUrl(input.baseUrl, input.runbook);
  return {
    mimeType: "text/markdown",
    // Notification subjects are capped at 255 characters by Cloud Monitoring.
    subject: `[${input.environment}] ${input.displayName}`.slice(0, 255),
    content: [`**Runbook:** [runbooks/${input.runbook}.md](${url})`, "", input.summary, "", `Environment: \`${input.environment}\`. Start with the Diagnosis section of the runbook.`].join("\n"),
    links: [{ displayName: `Runbook: ${input.runbook}`, url }],
  };
}
