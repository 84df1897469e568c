import type { CommandContext } from "../shared-args.ts";
import { defaultSources } from "../source-list.ts";
import { runExtract } from "../stages/extract-stage.ts";
import { runTransform, testMarts } from "../stages/transform-stage.ts";
import type { RunManifest, StepName } from "../core/contracts/run-manifest.ts";
import type { RunOptions } from "./run-pipeline.ts";

export interface StepOutcome {
  rows?: number;
  /** Set when the step ran but its result is a failure (e.g. an error-severity data test failed). */
  failed?: string;
  skipped?: string;
}

/** The steps of `duckmart run`, in order. Each only calls the stage's library function. */
export function pipelineSteps(
  context: CommandContext,
  options: RunOptions,
  manifest: RunManifest,
): Record<StepName, () => Promise<StepOutcome>> {
  return {
    async extract() {
      const sources = options.sources ?? defaultSources(context.config);
      const summary = await runExtract(context, { sources, fullRefresh: options.fullRefresh });
      manifest.driftWarnings = summary.driftWarnings;
      return { rows: summary.rowCount };
    },
    async transform() {
      const summary = await runTransform(context, { select: options.select });
      // The as-of the build used (a files source's is its newest order date unless --as-of is given).
      manifest.asOf = summary.asOf;
      return { rows: summary.models.reduce((n, m) => n + (m.rowCount ?? 0), 0) };
    },
    async test() {
      const summary = await testMarts(context, { select: options.select });
      manifest.tests = summary.tests.map(({ id, model, column, kind, severity, status, failingRows }) => ({
        id,
        model,
        column,
        kind,
        severity,
        status,
        failingRows,
      }));
      return { rows: summary.tests.length, failed: summary.failure };
    },
    async sync() {
      if (!context.config.databaseUrl) {
        context.logger.info(
          "No warehouse configured: set DATABASE_URL (or --database-url) to sync the marts to Postgres.",
        );
        return { skipped: "no DATABASE_URL" };
      }
      const { runSync } = await import("../stages/sync-stage.ts");
      const summary = await runSync(context, { select: options.select, runManifest: manifest });
      return { rows: summary.tables.reduce((n, t) => n + t.rowCount, 0) };
    },
    async site() {
      const { buildSite } = await import("../../observable/build-site.ts");
      const summary = await buildSite(context, { runId: manifest.runId });
      return { rows: summary.pages };
    },
  };
}
