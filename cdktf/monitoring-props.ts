/**
 * The environment document → props of the Monitoring construct. Pure (no provider import).
 * Physical names come from `physicalName`, the one place that must agree with the naming helper of
 * the data and services stacks (`<namePrefix>-<key>`).
 */
import type { EnvironmentConfig, NotificationChannelConfig } from "../config/schema.js";
import type { MonitoringProps, NotificationChannelSpec } from "../modules/monitoring/props.js";

export function physicalName(config: Pick<EnvironmentConfig, "namePrefix">, key: string): string {
  return `${config.namePrefix}-${key}`;
}

/** Every DLQ gets a subscription named `<dlq-topic>-sub`; the DLQ topic defaults to `<topic>-dlq`. */
export function dlqSubscriptionNames(config: EnvironmentConfig): string[] {
  const names = Object.entries(config.topics).flatMap(([topic, t]) => Object.values(t.subscriptions).map((s) => `${physicalName(config, s.deadLetter.topic ?? `${topic}-dlq`)}-sub`));
  return [...new Set(names)].sort();
}

function channelSpec(config: EnvironmentConfig, name: string, ch: NotificationChannelConfig): NotificationChannelSpec {
  switch (ch.type) {
    case "email":
      return { name, type: "email", address: ch.address };
    case "pubsub":
      return { name, type: "pubsub", topic: ch.topic.startsWith("projects/") ? ch.topic : `projects/${config.project.id}/topics/${physicalName(config, ch.topic)}` };
    case "webhook":
      return { name, type: "webhook", url: ch.url, username: ch.username, ...(ch.authTokenSecret ? { passwordSecret: ch.authTokenSecret } : {}) };
  }
}

const channelSpecs = (config: EnvironmentConfig): NotificationChannelSpec[] => Object.entries(config.monitoring.notificationChannels).map(([name, ch]) => channelSpec(config, name, ch));

export function monitoringPropsFromConfig(config: EnvironmentConfig): MonitoringProps {
  return {
    project: config.project.id,
    namePrefix: config.namePrefix,
    environment: config.environment,
    stage: config.stage,
    labels: config.labels,
    services: Object.entries(config.services).map(([key, s]) => ({ name: physicalName(config, key), webhook: s.public })),
    dlqSubscriptions: dlqSubscriptionNames(config),
    secretRotations: Object.entries(config.secrets).flatMap(([secret, s]) => (s.rotationDays === undefined ? [] : [{ secret, rotationDays: s.rotationDays }])),
    schedulerJobs: Object.keys(config.schedulerJobs).map((key) => physicalName(config, key)),
    notificationChannels: channelSpecs(config),
    runbookBaseUrl: config.monitoring.runbookBaseUrl,
    thresholds: config.monitoring.thresholds,
    opsctlLogResources: config.monitoring.opsctlLogResources,
  };
}
