import type { ColumnSpec } from "../cli/core/contracts/landing.ts";
import { stripeEntities } from "./schemas/stripe-entities.ts";
import { columnsFromSchema } from "./schemas/duckdb-types.ts";
import { asOfSetting, configOrigin } from "../cli/core/config.ts";
import { DuckmartError } from "../cli/core/errors.ts";
import { recordLastShopSource } from "../cli/core/shop-source.ts";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { publishLandings } from "./landing/manifest.ts";
import { warnBeforeExtract, warnFutureLanded } from "./as-of-warnings.ts";
import { pruneSnapshots } from "./landing/retention.ts";
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
  warnBeforeExtract(context, await Promise.all(names.map((name) => sources[name]!())));
  const summaries = await Promise.all(names.map(async (name) => landSource(context, await sources[name]!())));
  warnFutureLanded(context, summaries);
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

/**
 * Extract one source, then publish its completed snapshots together (each entity's current pointer moves), record
 * the last shop source, and apply raw retention. A source that throws publishes nothing.
 */
async function landSource(context: ExtractContext, source: Source): Promise<SourceSummary> {
  const { paths, config, logger } = context;
  let summary: SourceSummary;
  try {
    summary = await source.extract(context);
  } catch (error) {
    await discardPending(context, source.name);
    throw error;
  }
  const setBy = configOrigin(config, "asOf") === "default" ? undefined : asOfSetting(config);
  const landed = await publishLandings(paths, summary.landed, setBy);
  await discardPending(context, source.name);
  const kind = source.kind ?? "shop";
  if (kind === "shop" && landed.length && !summary.failed.length)
    await recordLastShopSource(paths, source.name, landed[0]!.extractedAt);
  for (const l of landed) {
    const removed = await pruneSnapshots(paths, l.source, l.entity, config.retention.rawDays);
    if (removed.length)
      logger.info(
        `${l.source}/${l.entity}: removed ${removed.length} snapshot(s) older than ${config.retention.rawDays} days (retention.rawDays)`,
      );
  }
  return { ...summary, kind, landed };
}

/** Remove what a failed entity left half-written (pending snapshots that were not published). */
async function discardPending(context: ExtractContext, source: string): Promise<void> {
  const root = context.paths.rawDir(source);
  for (const entity of await readdir(root).catch((): string[] => [])) {
    for (const name of await readdir(join(root, entity)).catch((): string[] => []))
      if (name.startsWith(".pending-")) await rm(join(root, entity, name), { recursive: true, force: true });
  }
}

/** The payments entities' columns (Stripe's shape), for transforms to read an absent payments source as empty. */
export function paymentEntityColumns(): Record<string, ColumnSpec[]> {
  return Object.fromEntries(stripeEntities.map((e) => [e.name, columnsFromSchema(e.schema)]));
}
