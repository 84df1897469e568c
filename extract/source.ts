import type { z } from "zod";
import type { EntityLanding } from "../cli/core/contracts/landing.ts";
import type { StageContext } from "../cli/core/contracts/stage-context.ts";

export type { EntityLanding } from "../cli/core/contracts/landing.ts";

/** One entity a source lands: its name, the zod schema each record must pass, and its id field. */
export interface EntityDef {
  name: string;
  schema: z.ZodObject;
  idField: string;
  /** What to do with fields the schema does not know: land them as JSON and report drift (default), or drop them. */
  unknownFields?: "drift" | "drop";
}

export interface ExtractContext extends StageContext {
  /** Ignore incremental cursors and pull everything again. */
  fullRefresh?: boolean;
}

export interface EntityFailure {
  source: string;
  entity: string;
  error: Error;
}

export interface SourceSummary {
  source: string;
  kind?: "shop" | "payments";
  landed: EntityLanding[];
  failed: EntityFailure[];
  skipped?: string;
  durationMs: number;
  /** Where the time went, by phase, in milliseconds (the files source: lines, entities, landing). */
  phasesMs?: Record<string, number>;
}

/** The contract every source implements: its entities and how to land them. */
export interface Source {
  name: string;
  /** A shop source (orders, products, customers: the default) or a payments source (Stripe). */
  kind?: "shop" | "payments";
  /** A live API returns today's data whatever the as-of day: extracting it for another day records today's data as that day. */
  live?: boolean;
  entities: EntityDef[];
  extract(context: ExtractContext): Promise<SourceSummary>;
}
