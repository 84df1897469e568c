import type { ColumnSpec } from "../cli/core/contracts/landing.ts";
import { stripeEntities } from "./schemas/stripe-entities.ts";
import { columnsFromSchema } from "./schemas/duckdb-types.ts";
import { DuckmartError } from "../cli/core/errors.ts";
import type { ExtractContext, Source, SourceSummary } from "./source.ts";
import { dummyjsonSource } from "./sources/dummyjson-source.ts";
import { sampleSource } from "./sources/sample-source.ts";

export type { SourceSummary, EntityLanding } from "./source.ts";

export interface ExtractSummary {
  sources: SourceSummary[];
  rowCount: number;
  durationMs: number;
  ok: boolean;
  driftWarnings: { source: string; entity: string; fields: string[] }[];
}

const sources: Record<string, () => Promise<Source>> = {
  sample: async () => sampleSource,
  dummyjson: async () => dummyjsonSource,
  files: async () => (await import("./sources/files/files-source.ts")).filesSource,
  stripe: async () => (await import("./sources/stripe-source.ts")).stripeSource,
};

export const sourceNames = Object.keys(sources);

/** Land every named source (in parallel); the commerce source defaults to the configured one. */
export async function extract(
  context: ExtractContext,
  names: string[] = [context.config.source],
): Promise<ExtractSummary> {
  const started = Date.now();
  for (const name of names) {
    if (!sources[name])
      throw new DuckmartError(`Unknown source "${name}"`, {
        hint: `Use one of: ${sourceNames.join(", ")}.`,
        exitCode: 2,
      });
  }
  const summaries = await Promise.all(names.map(async (name) => (await sources[name]!()).extract(context)));
  return {
    sources: summaries,
    rowCount: summaries.flatMap((s) => s.landed).reduce((n, l) => n + l.rowCount, 0),
    durationMs: Date.now() - started,
    ok: summaries.every((s) => s.failed.length === 0),
    driftWarnings: summaries.flatMap((s) =>
      s.landed
        .filter((l) => l.driftFields.length)
        .map((l) => ({ source: l.source, entity: l.entity, fields: l.driftFields })),
    ),
  };
}

/** The payments entities' columns (Stripe's shape), for transforms to read an absent payments source as empty. */
export function paymentEntityColumns(): Record<string, ColumnSpec[]> {
  return Object.fromEntries(stripeEntities.map((e) => [e.name, columnsFromSchema(e.schema)]));
}
