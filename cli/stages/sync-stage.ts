import { DuckmartError } from "../core/errors.ts";
import { formatDuration, formatTable } from "../core/table.ts";
import { syncMarts, type SyncSummary } from "../../export/index.ts";
import { buildToPublish } from "../../export/build-source.ts";
import { recordRunHistory } from "../../export/run-history-sync.ts";
import type { RunManifest } from "../core/contracts/run-manifest.ts";
import type { CommandContext } from "../shared-args.ts";
import { withDataLock } from "../core/with-lock.ts";

export interface SyncStageOptions {
  select?: string[];
  incremental?: boolean;
  allowRecreate?: boolean;
  verify?: boolean;
  allowEmpty?: boolean;
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
    const build = await buildToPublish(context.paths, options.buildId);
    logger.start(
      `Publishing build ${build.buildId} (shop ${build.shopSource}, payments ${build.paymentsSource}, as of ${build.asOf}) to ${config.schema}`,
    );
    const synced = await syncMarts(context, {
      ...options,
      databaseUrl,
      schema: config.schema,
      runId: options.runManifest?.runId,
      build,
    });
    await recordRunHistory(databaseUrl, config.schema, context.paths.runsDir, options.runManifest);
    return synced;
  });
  logger.success(
    `Synced ${summary.tables.filter((t) => t.schema === summary.schema).length} marts of build ${summary.buildId} to schema ${summary.schema}${summary.piiSchema ? ` (clear PII in ${summary.piiSchema})` : ""} in ${formatDuration(summary.durationMs)}\n${formatTable(summary.tables.map((t) => ({ table: `${t.schema}.${t.table}`, mode: t.mode, rows: t.rowCount, time: formatDuration(t.durationMs), added: t.addedColumns.join(", ") })))}`,
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
