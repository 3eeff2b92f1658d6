// The same synth as dist/cdktf/main.js, but with the provider loaded from its package root, the
// way `import { RedisInstance } from "@cdktf/provider-google"` would: every binding is loaded.
// bench/synth.bench.ts compares it with the deep imports modules/ uses.
import { enableCompileCache } from "node:module";

enableCompileCache?.();
await import("@cdktf/provider-google");
await import("../dist/cdktf/main.js");
