import type { Construct } from "constructs";
import { didYouMean } from "../../config/did-you-mean.js";
import { namesFor } from "../../config/naming.js";
import type { EnvironmentConfig, EnvSource } from "../../config/schema.js";
import { CloudRunJob } from "../../modules/cloud-run-job/index.js";
import { CloudRunService, type VpcEgress } from "../../modules/cloud-run-service/index.js";
import { WorkloadIdentity } from "../../modules/iam/index.js";
import { Subscription } from "../../modules/pubsub-topic/index.js";
import { SchedulerJob } from "../../modules/scheduler-job/index.js";
import { findCycle, serviceUrlEdges, type WiredEnv, WiringError, wireEnv } from "../wiring/env-wiring.js";
import { baseSourceTable } from "../wiring/source-table.js";
import { type DataStack, deadLetterTopicOf, sorted } from "./data-stack.js";
import { EnvironmentStack } from "./environment-stack.js";
import type { NetworkStack } from "./network-stack.js";

interface Workload {
  kind: "service" | "job";
  name: string;
  env: Record<string, EnvSource>;
  publishes: string[];
  buckets: string[];
}

/** Cloud Run services and jobs with their identities and IAM, push subscriptions, Scheduler. */
export class ServicesStack extends EnvironmentStack {
  readonly services = new Map<string, CloudRunService>();
  readonly jobs = new Map<string, CloudRunJob>();
  readonly identities = new Map<string, WorkloadIdentity>();

  constructor(scope: Construct, config: EnvironmentConfig, network: NetworkStack, data: DataStack) {
    super(scope, "services", config);
    const names = namesFor(config);
    const region = config.project.region;
    const project = config.project.id;
    const net = network.network;
    const egress: VpcEgress = net.connector ? { connector: net.connector.id } : { network: net.network.id, subnetwork: net.subnet.id };

    const sources = baseSourceTable(config, data);
    const secretRefs = new Map([...data.secrets].map(([name, s]) => [name, s.secretId] as const));

    // Services may read each other's URL: create them callee first, and refuse a cycle with its path.
    const urlDeps = serviceUrlEdges(config.services);
    for (const name of Object.keys(config.services)) sources.set(`service.${name}.url`, `\${pending:${name}}`);
    const cycle = findCycle(urlDeps);
    if (cycle) throw new WiringError([`services.${cycle[0]}.env: services read each other's URL in a cycle: ${cycle.join(" → ")}; read one of them at run time`]);

    // Wire every contract first so all problems are reported together.
    const wired = new Map<string, WiredEnv>();
    const problems: string[] = referenceProblems(config);
    const workloads: Workload[] = [
      ...sorted(config.services).map(([name, s]) => ({ kind: "service" as const, name, env: s.env, publishes: s.publishes, buckets: s.buckets })),
      ...sorted(config.jobs).map(([name, j]) => ({ kind: "job" as const, name, env: j.env, publishes: [], buckets: [] })),
    ];
    for (const w of workloads) {
      try {
        wired.set(`${w.kind}/${w.name}`, wireEnv({ kind: w.kind, name: w.name, env: w.env, requiredEnv: (w.kind === "service" ? config.services[w.name] : config.jobs[w.name])?.requiredEnv ?? [] }, sources, secretRefs));
      } catch (err) {
        if (err instanceof WiringError) problems.push(...err.problems);
        else throw err;
      }
    }
    if (problems.length > 0) throw new WiringError(problems);

    for (const w of workloads) {
      const contract = wired.get(`${w.kind}/${w.name}`) as WiredEnv;
      const topics = new Set([...w.publishes, ...contract.sources.flatMap((s) => match(s, /^topic\.([^.]+)\./))]);
      const buckets = new Set([...w.buckets, ...contract.sources.flatMap((s) => match(s, /^bucket\.([^.]+)\./))]);
      const pulls = contract.sources.flatMap((s) => match(s, /^subscription\.([^.]+)\./)).flatMap((sub) => {
        const owner = [...data.topics.values()].map((t) => t.subscriptions.get(sub)).find((x) => x !== undefined);
        return owner ? [[sub, owner.subscription.name] as const] : [];
      });
      const readsFirestore = w.kind === "job" || contract.sources.includes("firestore.database");
      this.identities.set(
        `${w.kind}/${w.name}`,
        new WorkloadIdentity(this, `${w.kind}-${w.name}-identity`, {
          accountId: names.serviceAccount(w.kind === "job" ? `job-${w.name}` : w.name),
          displayName: `opsctl ${w.kind} ${w.name} (${config.environment})`,
          project,
          projectRoles: [...new Set([...(readsFirestore ? ["roles/datastore.user"] : []), ...(w.kind === "job" ? (config.jobs[w.name]?.projectRoles ?? []) : [])])].sort(),
          secrets: Object.fromEntries(contract.secrets.map((s) => [s, data.secrets.get(s)?.id as string])),
          publishTopics: Object.fromEntries([...topics].sort().map((t) => [t, data.topics.get(t)?.topic.name as string])),
          pullSubscriptions: Object.fromEntries(pulls),
          buckets: Object.fromEntries([...buckets].sort().map((b) => [b, data.buckets.get(b)?.name as string])),
          signsUrls: [...buckets].some((b) => config.buckets[b]?.signedUrls === true),
        }),
      );
    }

    for (const name of topologicalOrder(urlDeps)) {
      const s = config.services[name];
      if (!s) continue;
      const identity = this.identities.get(`service/${name}`) as WorkloadIdentity;
      // Re-wire now that the URLs of the services it calls exist.
      const contract = wireEnv({ kind: "service", name, env: s.env, requiredEnv: s.requiredEnv }, sources, secretRefs);
      const service = new CloudRunService(this, `service-${name}`, {
        name: names.service(name),
        region,
        image: s.image,
        serviceAccountEmail: identity.email,
        cpu: s.cpu,
        memory: s.memory,
        minInstances: s.minInstances,
        maxInstances: s.maxInstances,
        concurrency: s.concurrency,
        timeoutSeconds: s.timeoutSeconds,
        ingress: s.ingress,
        ingressReason: s.ingressReason,
        public: s.public,
        startupProbe: s.startupProbe,
        livenessProbe: s.livenessProbe,
        vpcEgress: egress,
        env: contract.env,
        deletionProtection: s.deletionProtection,
      });
      this.services.set(name, service);
      sources.set(`service.${name}.url`, service.url);
    }

    for (const [name, j] of sorted(config.jobs)) {
      const identity = this.identities.get(`job/${name}`) as WorkloadIdentity;
      const contract = wireEnv({ kind: "job", name, env: j.env, requiredEnv: j.requiredEnv }, sources, secretRefs);
      this.jobs.set(
        name,
        new CloudRunJob(this, `job-${name}`, {
          name: names.job(name),
          region,
          image: j.image,
          args: j.args,
          serviceAccountEmail: identity.email,
          taskCount: j.taskCount,
          parallelism: j.parallelism,
          cpu: j.cpu,
          memory: j.memory,
          timeoutSeconds: j.timeoutSeconds,
          maxRetries: j.maxRetries,
          vpcEgress: egress,
          env: contract.env,
        }),
      );
    }

    this.pushSubscriptions(config, data);
    this.schedulerJobs(config);
  }

  private pushSubscriptions(config: EnvironmentConfig, data: DataStack): void {
    const names = namesFor(config);
    const push = sorted(config.topics).flatMap(([topic, t]) => sorted(t.subscriptions).flatMap(([sub, s]) => (s.push ? [{ topic, sub, s, push: s.push }] : [])));
    if (push.length === 0) return;
    const pusher = this.project.callerAccount("pubsub-push-account", names.serviceAccount("pubsub-push"), `Pub/Sub push to Cloud Run (${config.environment})`);
    this.project.grantTokenCreator("pubsub-agent-push-token-creator", pusher, this.project.pubsubServiceAgent);
    for (const { topic, sub, s, push: p } of push) {
      const service = this.services.get(p.service) as CloudRunService;
      const source = data.topics.get(topic);
      const dlq = source?.deadLetterQueues.get(deadLetterTopicOf(topic, s.deadLetter));
      if (!source || !dlq) throw new WiringError([`topics.${topic}.subscriptions.${sub}: topic or dead-letter topic missing`]);
      service.grantInvoker(`push-invoker-${sub}`, pusher.member);
      new Subscription(this, `push-${sub}`, {
        name: names.subscription(sub),
        topic: source.topic.id,
        deadLetterTopic: dlq.topic.id,
        maxDeliveryAttempts: s.deadLetter.maxDeliveryAttempts,
        pubsubServiceAgent: this.project.pubsubServiceAgent,
        ackDeadlineSeconds: s.ackDeadlineSeconds,
        retry: s.retry,
        messageRetention: s.messageRetention,
        enableMessageOrdering: s.enableMessageOrdering,
        push: { endpoint: `${service.url}${p.path}`, serviceAccountEmail: pusher.email },
      });
    }
  }

  private schedulerJobs(config: EnvironmentConfig): void {
    const names = namesFor(config);
    const jobs = sorted(config.schedulerJobs);
    if (jobs.length === 0) return;
    const caller = this.project.callerAccount("scheduler-account", names.serviceAccount("scheduler"), `Cloud Scheduler caller (${config.environment})`);
    for (const [name, j] of jobs) {
      let target: ConstructorParameters<typeof SchedulerJob>[2]["target"];
      if ("job" in j.target) {
        const job = this.jobs.get(j.target.job) as CloudRunJob;
        job.grantInvoker(`scheduler-invoker-${name}`, caller.member);
        target = { kind: "job", runUri: job.runUri(config.project.id) };
      } else {
        const service = this.services.get(j.target.service) as CloudRunService;
        service.grantInvoker(`scheduler-invoker-${name}`, caller.member);
        target = { kind: "service", url: service.url, path: j.target.path, method: j.target.method };
      }
      new SchedulerJob(this, `scheduler-${name}`, {
        name: names.scheduler(name),
        region: config.project.region,
        schedule: j.schedule,
        timeZone: j.timeZone,
        description: j.description,
        target,
        callerEmail: caller.email,
      });
    }
  }
}

function match(text: string, pattern: RegExp): string[] {
  const m = pattern.exec(text);
  return m?.[1] ? [m[1]] : [];
}

/** Callees before callers (the graph is acyclic: checked before). */
function topologicalOrder(deps: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of [...(deps.get(n) ?? [])].sort()) visit(d);
    out.push(n);
  };
  for (const n of [...deps.keys()].sort()) visit(n);
  return out;
}

/** Names the services stack resolves besides env sources: topics, buckets, push and scheduler targets. */
function referenceProblems(c: EnvironmentConfig): string[] {
  const problems: string[] = [];
  const services = Object.keys(c.services);
  for (const [name, s] of sorted(c.services)) {
    s.publishes.forEach((t, i) => {
      if (!(t in c.topics)) problems.push(`services.${name}.publishes.${i}: unknown topic "${t}"${didYouMean(t, Object.keys(c.topics))}`);
    });
    s.buckets.forEach((b, i) => {
      if (!(b in c.buckets)) problems.push(`services.${name}.buckets.${i}: unknown bucket "${b}"${didYouMean(b, Object.keys(c.buckets))}`);
    });
  }
  for (const [topic, t] of sorted(c.topics)) {
    for (const [sub, s] of sorted(t.subscriptions)) {
      if (s.push && !(s.push.service in c.services)) problems.push(`topics.${topic}.subscriptions.${sub}.push.service: unknown service "${s.push.service}"${didYouMean(s.push.service, services)}`);
    }
  }
  for (const [name, j] of sorted(c.schedulerJobs)) {
    if ("job" in j.target && !(j.target.job in c.jobs)) problems.push(`schedulerJobs.${name}.target.job: unknown job "${j.target.job}"${didYouMean(j.target.job, Object.keys(c.jobs))}`);
    if ("service" in j.target && !(j.target.service in c.services)) problems.push(`schedulerJobs.${name}.target.service: unknown service "${j.target.service}"${didYouMean(j.target.service, services)}`);
  }
  return problems;
}
