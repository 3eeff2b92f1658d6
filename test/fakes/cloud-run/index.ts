/**
 * The fake Cloud Run Admin API v2 for tests and benches; see cloud-run-fake.ts for the model and
 * usage. Point the CLI at it with OPSCTL_RUN_ENDPOINT=fake.url.
 */
export { CloudRunFake, type FakeOptions, type RevisionJson, type SeedRevision, type SeedService, type ServiceJson, type TrafficStatus, type TrafficTarget } from "./cloud-run-fake.js";
export { type BackendBehaviour, behaviourFromImage, RevisionBackend } from "./revision-backend.js";
