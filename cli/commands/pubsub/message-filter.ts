/** `--filter attr=value` (repeatable; every one must match). */
import { usageError } from "../../core/errors.js";

export interface AttributeFilter {
  key: string;
  value: string;
}

export function parseFilters(texts: string[]): AttributeFilter[] {
  return texts.map((text) => {
    const at = text.indexOf("=");
    if (at <= 0) throw usageError(`--filter "${text}" is not attr=value`, "e.g. --filter CloudPubSubDeadLetterSourceSubscription=worker-inbound");
    return { key: text.slice(0, at), value: text.slice(at + 1) };
  });
}

export function matchesFilters(attributes: Record<string, string> | null | undefined, filters: AttributeFilter[]): boolean {
  return filters.every((f) => attributes?.[f.key] === f.value);
}
