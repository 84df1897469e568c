// The library entry: `import { defineConfig } from "duckmart"` in duckmart.config.ts, and the stages for scripting.
export { defineConfig, type DuckmartConfig, type DuckmartConfigInput } from "./core/config-schema.ts";
export { DuckmartError } from "./core/errors.ts";
export { extract } from "../extract/index.ts";
export { transform } from "../transforms/index.ts";
export { syncMarts } from "../export/index.ts";
export { runPipeline } from "./pipeline/run-pipeline.ts";
