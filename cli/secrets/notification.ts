/**
 * Secret Manager rotation notifications: with `rotation` set on a secret, Secret Manager publishes
 * a SECRET_ROTATE message to the secret's Pub/Sub topics (attributes eventType and secretId =
 * projects/P/secrets/S). A Cloud Run Job fed that message (file or stdin) rotates the secret.
 * Accepts the bare Pub/Sub message, a push envelope ({message, subscription}) or a pull item.
 */
import { usageError } from "../core/errors.js";

export interface RotateNotification {
  project: string;
  secretId: string;
}

export function parseRotateNotification(text: string): RotateNotification {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw usageError("--from-notification: the message is not JSON", "pass the Pub/Sub message as delivered (push envelope or message object)");
  }
  const message = (doc && typeof doc === "object" && "message" in doc ? (doc as { message: unknown }).message : doc) as { attributes?: Record<string, unknown> } | null;
  const attrs = message?.attributes ?? {};
  const eventType = attrs.eventType;
  if (eventType !== "SECRET_ROTATE") {
    throw usageError(`--from-notification: eventType is ${JSON.stringify(eventType ?? null)}, not SECRET_ROTATE`, "only rotation reminders start a rotation; other Secret Manager events are ignored");
  }
  const m = /^projects\/([^/]+)\/(?:locations\/[^/]+\/)?secrets\/([^/]+)$/.exec(String(attrs.secretId ?? ""));
  if (!m?.[1] || !m[2]) throw usageError(`--from-notification: secretId ${JSON.stringify(attrs.secretId ?? null)} is not projects/P/secrets/S`);
  return { project: m[1], secretId: m[2] };
}
