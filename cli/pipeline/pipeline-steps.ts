import { displayPath } from "../core/paths.ts";
import type { CommandContext } from "../shared-args.ts";
import { defaultSources } from "../source-list.ts";
import { chooseShopSource } from "../core/shop-source.ts";
import { runExtract } from "../stages/extract-stage.ts";
import { freshnessFailure, freshnessHint, runFreshness } from "../stages/freshness-stage.ts";
import { acceptHint, runTransform, testMarts } from "../stages/transform-stage.ts";
import { replayDay } from "./replay.ts";
import { restoreHistoryFromWarehouse } from "./history-guard.ts";
import type { BuildManifest } from "../core/contracts/build-manifest.ts";
import type { RunManifest, StepName } from "../core/contracts/run-manifest.ts";
import type { RunOptions } from "./run-pipeline.ts";

export interface StepOutcome {
  rows?: number;
  /** Set when the step ran but its result is a failure (e.g. an error-severity data test failed). */
  failed?: string;
  /** What to do about `failed`. */
  hint?: string;
  skipped?: string;
  /** One line for the run's output: the key counts, or what to do about a skip. */
  summary?: string;
}

/** The steps of `duckmart run`, in order. Each only calls the stage's library function. */
export function pipelineSteps(
  context: CommandContext,
  options: RunOptions,
  manifest: RunManifest,
): Record<StepName, () => Promise<StepOutcome>> {
  return {
    async extract() {
      const replay = await replayDay(context);
      if (replay) {
        manifest.replayOf = replay;
        return {
          skipped: `replay of ${replay}`,
          summary: `replaying ${replay} from the raw snapshots that were current that day; nothing is extracted`,
        };
      }
      const sources =
        options.sources ?? defaultSources(context.config, chooseShopSource(context.config, context.paths).source);
      const summary = await runExtract(context, { sources, fullRefresh: options.fullRefresh });
      manifest.driftWarnings = summary.driftWarnings;
      const landed = summary.sources.flatMap((s) => s.landed.map((l) => `${l.entity} ${count(l.rowCount)}`));
      return { rows: summary.rowCount, summary: `${count(summary.rowCount)} rows landed (${landed.join(", ")})` };
    },
    async freshness() {
      // A replay reads the snapshots of a past day: how old they are today says nothing about the source.
      if (manifest.replayOf) return { skipped: `replay of ${manifest.replayOf}` };
      manifest.freshness = await runFreshness(context, { maxAgeHours: options.maxAgeHours });
      const failed = freshnessFailure(manifest.freshness);
      return {
        rows: manifest.freshness.checks.length,
        failed,
        hint: failed
          ? (freshnessHint(manifest.freshness, context.config, "run") ??
            "The source stopped updating or its extraction is stale; the marts, warehouse and site were left as they were. See `duckmart freshness`; limits are in transforms/sources.yml.")
          : undefined,
      };
    },
    async transform() {
      await restoreHistoryFromWarehouse(context);
      // A candidate build becomes current only when the test step passes; without a test step, transform tests it.
      const testing = !options.skip?.includes("test") && (!options.only?.length || options.only.includes("test"));
      const summary = await runTransform(context, {
        select: options.select,
        candidate: testing,
        runId: manifest.runId,
        replayAsOf: manifest.replayOf,
        acceptRowDrop: options.acceptRowDrop,
      });
      // The as-of the build used (a files source's is its newest order date unless --as-of is given).
      manifest.asOf = summary.asOf;
      manifest.buildId = summary.build.buildId;
      manifest.buildPromoted = summary.promoted;
      manifest.source = summary.build.shopSource;
      manifest.paymentsSource = summary.build.paymentsSource;
      const marts = summary.models.filter((m) => m.materialized === "table" && m.status === "built");
      const rows = summary.models.reduce((n, m) => n + (m.rowCount ?? 0), 0);
      if (summary.build.status === "failed")
        return {
          rows,
          failed: guardFailure(summary.build),
          hint: acceptHint(summary.build.failedChecks ?? [], "run").trim() || undefined,
        };
      return {
        rows,
        summary: `${summary.models.length} models, ${marts.length} marts into build ${summary.build.buildId}`,
      };
    },
    async test() {
      const summary = await testMarts(context, {
        select: options.select,
        verbose: options.verbose,
        buildId: manifest.buildId,
        promote: true,
        runId: manifest.runId,
      });
      manifest.buildPromoted = summary.promoted;
      manifest.tests = summary.tests.map(({ id, model, column, kind, severity, status, failingRows }) => ({
        id,
        model,
        column,
        kind,
        severity,
        status,
        failingRows,
      }));
      return { rows: summary.tests.length, failed: summary.failure, summary: summary.counts };
    },
    async sync() {
      if (!context.config.databaseUrl) {
        return {
          skipped: "no DATABASE_URL",
          summary: "No warehouse configured: set DATABASE_URL (or --database-url) to sync the marts to Postgres.",
        };
      }
      const { runSync } = await import("../stages/sync-stage.ts");
      const summary = await runSync(context, { select: options.select, runManifest: manifest });
      const rows = summary.tables.reduce((n, t) => n + t.rowCount, 0);
      return { rows, summary: `${count(rows)} rows in ${summary.tables.length} tables, schema ${summary.schema}` };
    },
    async site() {
      const { buildSite } = await import("../../observable/build-site.ts");
      const summary = await buildSite(context, { runId: manifest.runId });
      manifest.site = { dir: summary.outDir, pages: summary.pages };
      return { rows: summary.pages, summary: `${summary.pages} pages in ${displayPath(summary.outDir)}` };
    },
  };
}

/** The failed guards with their row counts: `daily_revenue.row_count_guard (93 -> 28 rows)`. */
function guardFailure(build: BuildManifest): string {
  const failed = (build.failedChecks ?? []).map((id) => {
    const sample = build.guards?.find((g) => g.id === id && g.status === "fail")?.samples[0];
    return sample ? `${id} (${sample["previous_rows"]} -> ${sample["rows"]} rows)` : id;
  });
  return `row-count guard(s) failed: ${failed.join(", ")}; the current build is unchanged`;
}

const count = (n: number) => n.toLocaleString("en-US");
