/**
 * The environment document → props of the Monitoring construct. Pure (no provider import).
 * Physical names come from the naming helper the data and services stacks use (config/naming.ts),
 * so an alert filter names exactly the resource that was provisioned.
 */
import { namesFor } from "../config/naming.js";
import type { EnvironmentConfig, NotificationChannelConfig } from "../config/schema.js";
import type { MonitoringProps, NotificationChannelSpec } from "../modules/monitoring/props.js";

/** Every DLQ gets a subscription named `<dlq-topic>-sub`; the DLQ topic defaults to `<topic>-dlq`. */
export function dlqSubscriptionNames(config: EnvironmentConfig): string[] {
  const n = namesFor(config);
  const names = Object.entries(config.topics).flatMap(([topic, t]) => Object.values(t.subscriptions).map((s) => n.dlqSubscription(n.topic(s.deadLetter.topic ?? `${topic}-dlq`))));
  return [...new Set(names)].sort();
}

function channelSpec(config: EnvironmentConfig, name: string, ch: NotificationChannelConfig): NotificationChannelSpec {
  switch (ch.type) {
    case "email":
      return { name, type: "email", address: ch.address };
    case "pubsub":
      return { name, type: "pubsub", topic: ch.topic.startsWith("projects/") ? ch.topic : `projects/${config.project.id}/topics/${namesFor(config).topic(ch.topic)}` };
    case "webhook":
      return { name, type: "webhook", url: ch.url, username: ch.username, ...(ch.authTokenSecret ? { passwordSecret: ch.authTokenSecret } : {}) };
  }
}

const channelSpecs = (config: EnvironmentConfig): NotificationChannelSpec[] => Object.entries(config.monitoring.notificationChannels).map(([name, ch]) => channelSpec(config, name, ch));

export function monitoringPropsFromConfig(config: EnvironmentConfig): MonitoringProps {
  const n = namesFor(config);
  return {
    project: config.project.id,
    namePrefix: config.namePrefix,
    environment: config.environment,
    stage: config.stage,
    labels: config.labels,
    services: Object.entries(config.services).map(([key, s]) => ({ name: n.service(key), webhook: s.public })),
    dlqSubscriptions: dlqSubscriptionNames(config),
    secretRotations: Object.entries(config.secrets).flatMap(([secret, s]) => (s.rotationDays === undefined ? [] : [{ secret, rotationDays: s.rotationDays }])),
    schedulerJobs: Object.keys(config.schedulerJobs).map((key) => n.scheduler(key)),
    notificationChannels: channelSpecs(config),
    runbookBaseUrl: config.monitoring.runbookBaseUrl,
    thresholds: config.monitoring.thresholds,
    opsctlLogResources: config.monitoring.opsctlLogResources,
  };
}
