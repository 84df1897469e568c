import { DuckmartError } from "../core/errors.ts";
import { formatDuration, formatTable } from "../core/table.ts";
import { syncMarts, type SyncSummary } from "../../export/index.ts";
import { recordRunHistory } from "../../export/run-history-sync.ts";
import type { RunManifest } from "../core/contracts/run-manifest.ts";
import type { CommandContext } from "../shared-args.ts";
import { withDataLock } from "../core/with-lock.ts";
import { resolveBuild } from "../core/contracts/build-manifest.ts";

export interface SyncStageOptions {
  select?: string[];
  incremental?: boolean;
  allowRecreate?: boolean;
  verify?: boolean;
  runManifest?: RunManifest;
  /** Publish this build instead of the current one. */
  buildId?: string;
}

/** `duckmart sync`: marts to Postgres; prints a table, and the verification when asked. */
export async function runSync(context: CommandContext, options: SyncStageOptions = {}): Promise<SyncSummary> {
  const { config, logger } = context;
  if (!config.databaseUrl) {
    throw new DuckmartError("No warehouse configured", {
      hint: "Set DATABASE_URL (or pass --database-url postgres://user@host:5432/db).",
      exitCode: 2,
    });
  }
  const databaseUrl = config.databaseUrl;
  const summary = await withDataLock(context, "sync", async () => {
    const { layout, manifest } = await resolveBuild(context.paths, options.buildId);
    logger.start(
      `Publishing build ${manifest.buildId} (shop ${manifest.shopSource}, payments ${manifest.paymentsSource}, as of ${manifest.asOf})`,
    );
    const synced = await syncMarts(context, {
      ...options,
      databaseUrl,
      schema: config.schema,
      runId: options.runManifest?.runId,
      build: { buildId: manifest.buildId, catalog: layout.catalog, mart: layout.mart },
    });
    await recordRunHistory(databaseUrl, config.schema, context.paths.runsDir, options.runManifest);
    return { ...synced, buildId: manifest.buildId };
  });
  logger.success(
    `Synced ${summary.tables.length} marts of build ${summary.buildId} to schema ${summary.schema} in ${formatDuration(summary.durationMs)}\n${formatTable(summary.tables.map((t) => ({ table: t.table, mode: t.mode, rows: t.rowCount, time: formatDuration(t.durationMs), added: t.addedColumns.join(", ") })))}`,
  );
  if (options.verify) {
    logger.info(
      `Verification (DuckDB vs Postgres):\n${formatTable(summary.checks.map((c) => ({ ...c, match: c.match ? "ok" : "MISMATCH" })))}`,
    );
    const bad = summary.checks.filter((c) => !c.match);
    if (bad.length)
      throw new DuckmartError(
        `Verification failed for ${bad.map((c) => `${c.table}.${c.column} (${c.check})`).join(", ")}`,
        { hint: "Rerun the sync; if it persists, report it with the table above." },
      );
  }
  return summary;
}
