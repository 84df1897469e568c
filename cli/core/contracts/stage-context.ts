import type { DuckmartConfig } from "../config-schema.ts";
import type { Logger } from "../logger.ts";
import type { LakePaths } from "../paths.ts";

/** What every stage is given: the loaded config, the lake layout and a logger (effects are injected). */
export interface StageContext {
  config: DuckmartConfig;
  paths: LakePaths;
  logger: Logger;
}
