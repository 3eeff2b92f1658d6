import type { CommandSpec } from "../../core/command.js";

const targetOptions = (topic: string) => [
  { flags: "--topic <name>", description: topic },
  { flags: "--subscription <name>", description: "the subscription whose dead-letter topic to use, when a topic has several" },
  { flags: "--dlq-subscription <name>", description: "the dead-letter subscription to read (default: <dlq-topic>-sub)" },
];

export const pubsubSpecs: CommandSpec[] = [
  {
    path: ["pubsub", "dlq", "inspect"],
    summary: "dead-letter queues: backlog, oldest message, a sample",
    description: [
      "For each dead-letter subscription: backlog count, age of the oldest message, and a sample",
      "(message id, attributes, delivery attempts, publish time, payload size; payload with --show-data).",
      "The backlog and oldest age come from Cloud Monitoring (subscription/num_undelivered_messages and",
      "oldest_unacked_message_age, about a minute behind); on the emulator, or with --count-method pull, they are",
      "counted by pulling the messages and releasing them at once (nack). Nothing is ever acknowledged.",
      "Exit 1 when a dead-letter queue holds messages or has no subscription (a DLQ without one drops messages).",
    ].join(" "),
    options: [
      ...targetOptions("the original topic (a key of topics: in config); default: every topic"),
      { flags: "--sample <n>", description: "messages to show per queue", default: "5" },
      { flags: "--count-limit <n>", description: "stop counting after this many messages (reported as at least N)", default: "10000" },
      { flags: "--count-method <method>", description: "backlog from Cloud Monitoring metrics or by pulling; auto = monitoring, pull on the emulator or when no metric exists yet", default: "auto", choices: ["auto", "monitoring", "pull"] },
      { flags: "--show-data", description: "include the payloads of the sample (may contain personal data)" },
    ],
    load: () => import("./inspect.js"),
  },
  {
    path: ["pubsub", "dlq", "replay"],
    summary: "republish dead-lettered messages to their original topic, rate-limited",
    description: [
      "Pulls from the dead-letter subscription and republishes each message to the original topic with its",
      "data, attributes and ordering key, plus an opsctl-replayed-at attribute. A message is acknowledged on",
      "the dead-letter subscription only after the publish is confirmed, so a crash or Ctrl-C loses nothing:",
      "delivery is AT-LEAST-ONCE (a message whose publish was confirmed just before a crash is replayed again",
      "by the next run; consumers must be idempotent). Messages that do not match --filter stay in the queue.",
    ].join(" "),
    mutates: true,
    options: [
      ...targetOptions("the original topic the messages go back to (a key of topics: in config); required"),
      { flags: "--max <n>", description: "replay at most this many messages" },
      { flags: "--rate <n/s>", description: "at most this many messages per second, e.g. 50/s" },
      { flags: "--filter <attr=value>", description: "only messages whose attribute equals the value (repeatable: all must match)", repeatable: true },
      { flags: "--batch <n>", description: "messages per pull and per publish request (max 1000)", default: "1000" },
      { flags: "--concurrency <n>", description: "pull-publish-ack loops in flight", default: "8" },
      { flags: "--pull-timeout <ms>", description: "an empty pull this long means the queue is drained", default: "3000" },
    ],
    load: () => import("./replay.js"),
  },
];
