/**
 * The smallest complete use of the Monitoring construct: two services (one a webhook), two
 * dead-letter subscriptions, a rotated secret, a scheduled job and one channel of each kind.
 * Tests synthesize it; `npx tsx modules/monitoring/example.ts` writes it to cdktf.out/.
 */
import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { App, Aspects, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Monitoring } from "./monitoring.js";
import { AlertRunbookAspect } from "./runbook-aspect.js";

export class MonitoringExampleStack extends TerraformStack {
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new GoogleProvider(this, "google", { project: "wa-bot-prod", region: "southamerica-east1" });
    this.monitoring = new Monitoring(this, "monitoring", {
      project: "wa-bot-prod",
      namePrefix: "wa-prod",
      environment: "prod",
      stage: "prod",
      labels: { app: "whatsapp-bot", env: "prod", "managed-by": "opsctl" },
      services: [{ name: "wa-prod-webhook", webhook: true }, { name: "wa-prod-worker" }],
      dlqSubscriptions: ["wa-prod-whatsapp-inbound-messages-dlq-sub", "wa-prod-audit-events-dlq-sub"],
      secretRotations: [{ secret: "WHATSAPP_ACCESS_TOKEN", rotationDays: 55 }],
      schedulerJobs: ["wa-prod-idempotency-check-hourly"],
      notificationChannels: [
        { name: "oncall-email", type: "email", address: "oncall@example.com" },
        { name: "alerts-topic", type: "pubsub", topic: "projects/wa-bot-prod/topics/wa-prod-ops-alerts" },
        { name: "chatops", type: "webhook", url: "https://chatops.example.com/hooks/alerts", passwordSecret: "ALERT_WEBHOOK_PASSWORD" },
      ],
      runbookBaseUrl: "https://github.com/opsctl/opsctl/blob/main",
    });
    Aspects.of(this).add(new AlertRunbookAspect());
  }
}

if (process.argv[1]?.endsWith("modules/monitoring/example.ts")) {
  const app = new App();
  new MonitoringExampleStack(app, "monitoring-example");
  app.synth();
}
