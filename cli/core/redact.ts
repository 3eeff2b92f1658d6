/**
 * Secret values must never reach argv, logs, errors or --json output. Every byte opsctl writes goes
 * through redact(): values registered at run time (secrets read or generated) and shapes that are
 * always credentials (PEM private keys, URL passwords, bearer and Meta tokens).
 */
const MASK = "***";
const registered = new Set<string>();

/** Register a secret value so any later output containing it is masked. Short values are refused
 * for masking (they would mask ordinary words) but still never printed by opsctl itself. */
export function registerSecret(value: string | undefined | null): void {
  if (value === undefined || value === null) return;
  const trimmed = value.trim();
  for (const form of [value, trimmed, JSON.stringify(value).slice(1, -1), JSON.stringify(trimmed).slice(1, -1)]) {
    // As printed raw and as it appears inside a JSON string (escaped quotes, newlines).
    if (form.length >= 6) registered.add(form);
  }
}

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g, `-----BEGIN $1PRIVATE KEY-----${MASK}-----END $1PRIVATE KEY-----`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@/\s]+@/gi, `$1${MASK}@`],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/-]+=*/g, `$1${MASK}`],
  [/\bEAA[A-Za-z0-9]{20,}\b/g, MASK],
  [/\bya29\.[A-Za-z0-9._-]{20,}/g, MASK],
  // Only string values of exactly these keys, so masking never breaks a JSON document's structure.
  [/("(?:access_token|client_secret|password|refresh_token)"\s*:\s*")(?:[^"\\]|\\.)+"/gi, `$1${MASK}"`],
  [/\b((?:access_token|client_secret|password|refresh_token)=)[^\s&"]+/gi, `$1${MASK}`],
];

export function redact(text: string): string {
  let out = text;
  // Longest first, so a value containing another registered value is masked whole.
  for (const secret of [...registered].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** For tests: forget registered values between cases. */
export function clearRegisteredSecrets(): void {
  registered.clear();
}
