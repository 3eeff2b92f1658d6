/**
 * Which dead-letter queue belongs to which topic, from the environment document:
 * topics.<t>.subscriptions.<s>.deadLetter.topic (default `<t>-dlq`), read through the subscription
 * `<dlq-topic>-sub` that the data stack provisions beside every DLQ (a DLQ without a subscription
 * drops what it receives).
 */
import { didYouMean } from "../../../config/did-you-mean.js";
import type { EnvironmentConfig } from "../../../config/schema.js";
import { usageError } from "../../core/errors.js";

export interface DlqTarget {
  /** the original topic messages are replayed to */
  topic: string;
  /** subscriptions of the topic that dead-letter into this DLQ */
  sourceSubscriptions: string[];
  dlqTopic: string;
  dlqSubscription: string;
}

export const defaultDlqTopic = (topic: string) => `${topic}-dlq`;
export const defaultDlqSubscription = (dlqTopic: string) => `${dlqTopic}-sub`;

export interface TargetSelection {
  topic?: string;
  subscription?: string;
  dlqSubscription?: string;
}

export function dlqTargets(config: EnvironmentConfig, selection: TargetSelection): DlqTarget[] {
  const topics = Object.keys(config.topics);
  if (selection.topic !== undefined && !(selection.topic in config.topics)) {
    throw usageError(`no topic "${selection.topic}" in ${config.environment}${didYouMean(selection.topic, topics)}`, `topics: ${topics.join(", ") || "(none)"}`);
  }
  const out: DlqTarget[] = [];
  for (const [topic, t] of Object.entries(config.topics)) {
    if (selection.topic !== undefined && topic !== selection.topic) continue;
    const subs = Object.entries(t.subscriptions);
    if (selection.subscription !== undefined) {
      if (!subs.some(([name]) => name === selection.subscription)) {
        throw usageError(`topic "${topic}" has no subscription "${selection.subscription}"${didYouMean(selection.subscription, subs.map(([n]) => n))}`);
      }
    }
    const byDlq = new Map<string, string[]>();
    for (const [name, sub] of subs) {
      if (selection.subscription !== undefined && name !== selection.subscription) continue;
      const dlq = sub.deadLetter.topic ?? defaultDlqTopic(topic);
      byDlq.set(dlq, [...(byDlq.get(dlq) ?? []), name]);
    }
    if (subs.length === 0) byDlq.set(defaultDlqTopic(topic), []);
    for (const [dlqTopic, sourceSubscriptions] of byDlq) {
      out.push({ topic, sourceSubscriptions, dlqTopic, dlqSubscription: selection.dlqSubscription ?? defaultDlqSubscription(dlqTopic) });
    }
  }
  return out;
}

/** Targets without a configuration: the naming convention only. */
export function conventionTarget(topic: string, dlqSubscription?: string): DlqTarget {
  const dlqTopic = defaultDlqTopic(topic);
  return { topic, sourceSubscriptions: [], dlqTopic, dlqSubscription: dlqSubscription ?? defaultDlqSubscription(dlqTopic) };
}
