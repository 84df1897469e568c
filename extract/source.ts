import type { z } from "zod";
import type { DuckmartConfig } from "../cli/core/config-schema.ts";
import type { Logger } from "../cli/core/logger.ts";
import type { LakePaths } from "../cli/core/paths.ts";

/** One entity a source lands: its name, the zod schema each record must pass, and its id field. */
export interface EntityDef {
  name: string;
  schema: z.ZodObject;
  idField: string;
  /** What to do with fields the schema does not know: land them as JSON and report drift (default), or drop them. */
  unknownFields?: "drift" | "drop";
}

export interface ExtractContext {
  config: DuckmartConfig;
  paths: LakePaths;
  logger: Logger;
  /** Ignore incremental cursors and pull everything again. */
  fullRefresh?: boolean;
}

/** What landed for one entity; also written as `<entity>.manifest.json` beside the Parquet. */
export interface EntityLanding {
  source: string;
  entity: string;
  path: string;
  rowCount: number;
  extractedAt: string;
  asOf: string;
  schemaHash: string;
  /** Unknown fields that landed anyway (schema drift). */
  driftFields: string[];
}

export interface EntityFailure {
  source: string;
  entity: string;
  error: Error;
}

export interface SourceSummary {
  source: string;
  landed: EntityLanding[];
  failed: EntityFailure[];
  skipped?: string;
  durationMs: number;
}

/** The contract every source implements: its entities and how to land them. */
export interface Source {
  name: string;
  entities: EntityDef[];
  extract(context: ExtractContext): Promise<SourceSummary>;
}
