export { ALERT_RUNBOOKS, ALERTS, type AlertId, type AlertRunbook, type AlertSeverity } from "./alert-catalog.js";
export { Monitoring } from "./monitoring.js";
export { type AlertThresholds, DEFAULT_THRESHOLDS, type MonitoredService, type MonitoringProps, type NotificationChannelSpec, type SecretRotation, validateMonitoringProps } from "./props.js";
export { AlertRunbookAspect } from "./runbook-aspect.js";
export { runbookNameIn, runbookUrl, withRunbook } from "../../config/runbook-link.js";
