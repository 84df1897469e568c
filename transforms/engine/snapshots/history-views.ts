import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteIdent } from "../../../cli/core/duckdb.ts";
import type { LakePaths } from "../../../cli/core/paths.ts";
import type { Project } from "../project.ts";
import { historySource } from "../../../cli/core/history-store.ts";
import { asOfSql, emptyHistorySql } from "./scd-sql.ts";

/**
 * Each snapshot as a view of its history (the shop source's own) as known on `asOf`: models (dim_customers_history, ...) read these, so a
 * replay of a past day sees exactly what that day saw, whatever was applied later. A snapshot with no history yet
 * reads as empty, with its columns.
 */
export async function registerHistoryViews(
  connection: DuckDBConnection,
  paths: LakePaths,
  project: Project,
  asOf: string,
  shopSource: string,
): Promise<void> {
  for (const snapshot of project.snapshots.values()) {
    const history = await historySource(paths, shopSource, snapshot.name);
    const body = history
      ? asOfSql(history.sql, asOf)
      : emptyHistorySql(`(${snapshot.sql.trim().replace(/;\s*$/, "")})`);
    await connection.run(`create or replace view ${quoteIdent(snapshot.name)} as select * from ${body}`);
  }
}
