/** The rules opsctl runs at synth and in `opsctl lint`; each lives in rules/<id>.ts. */
import { rule as bucketPublicAccess } from "./rules/bucket-public-access.js";
import { rule as dlqTopicSubscription } from "./rules/dlq-topic-subscription.js";
import { rule as envLiteralSecret } from "./rules/env-literal-secret.js";
import { rule as envReservedName } from "./rules/env-reserved-name.js";
import { rule as firestoreDeleteProtection } from "./rules/firestore-delete-protection.js";
import { rule as ingressAllReason } from "./rules/ingress-all-reason.js";
import { rule as labelKeys } from "./rules/label-keys.js";
import { rule as redisAuthTls } from "./rules/redis-auth-tls.js";
import { rule as secretVersionInState } from "./rules/secret-version-in-state.js";
import { rule as stackDependencyCycle } from "./rules/stack-dependency-cycle.js";
import { rule as subscriptionDeadLetter } from "./rules/subscription-dead-letter.js";
import type { PolicyRule } from "./types.js";

export const RULES: readonly PolicyRule[] = [
  labelKeys,
  bucketPublicAccess,
  redisAuthTls,
  subscriptionDeadLetter,
  dlqTopicSubscription,
  firestoreDeleteProtection,
  envLiteralSecret,
  envReservedName,
  secretVersionInState,
  ingressAllReason,
  stackDependencyCycle,
];
