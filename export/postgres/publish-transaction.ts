import type { DuckDBConnection } from "@duckdb/node-api";
import type pg from "pg";
import { quoteIdent } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { Logger } from "../../cli/core/logger.ts";
import type { ArrowColumn } from "../../cli/core/arrow/duckdb-arrow.ts";
import { addForeignKeys, addLoadKeys, dropForeignKeys, dropLoadKeys, type TableKeys } from "./keys.ts";
import { replaceRows, upsertRows } from "./load-table.ts";
import { recordPublished, type BuildInfo } from "./published-build.ts";
import { readState, recordBuildId, recordSynced, type SyncState } from "./sync-state.ts";
import { ensureTable, type ShapeResult, type TableShape } from "./table-shape.ts";
import { lockTables } from "./table-locks.ts";

/** One table of a publish: where it goes, its keys, and the DuckDB query that produces its rows. */
export interface PublishTable {
  shape: TableShape;
  keys: TableKeys;
  columns: ArrowColumn[];
  sql: string;
  rowCount: number;
  checksum: string;
  /** Upsert on `keys.uniqueKey` instead of replacing (an existing table declared `sync: incremental`). */
  incremental: boolean;
}

export interface PublishedTable {
  schema: string;
  table: string;
  mode: "full" | "incremental" | "unchanged";
  rowCount: number;
  durationMs: number;
  created: boolean;
  addedColumns: string[];
  oid: string;
}

/**
 * Publish every table of one build in ONE transaction, so a reader never sees two builds, even after a kill
 * (the transaction rolls back). The tables that change are locked up front (ACCESS EXCLUSIVE: readers wait, see
 * "Warehouse" in the README for the measured wait); each is truncated, stripped of its keys, loaded with
 * COPY FREEZE, and its keys are built again; foreign keys are validated before the commit. OIDs never change.
 */
export async function publishTransaction(
  client: pg.PoolClient,
  duck: DuckDBConnection,
  tables: PublishTable[],
  options: {
    schema: string;
    build: BuildInfo;
    runId?: string;
    allowRecreate: boolean;
    lockTimeoutMs: number;
    logger: Logger;
  },
): Promise<PublishedTable[]> {
  const { logger } = options;
  const results: PublishedTable[] = [];
  let lap = performance.now();
  const phase = (label: string) => {
    const now = performance.now();
    logger.debug(`sync phase ${label}: ${(now - lap).toFixed(0)} ms`);
    lap = now;
  };
  await client.query("begin");
  try {
    await client.query("set local maintenance_work_mem = '256MB'");
    const states: (SyncState | undefined)[] = [];
    for (const t of tables) states.push(await readState(client, t.shape.schema, t.shape.table));
    const changing = tables.filter(
      (t, i) => states[i]?.checksum !== t.checksum || states[i]?.row_count !== String(t.rowCount),
    );
    // The build records too: a reader of duckmart_build and the marts in one transaction sees one build.
    const records = ["duckmart_sync_state", "duckmart_published"].map((table) => ({ schema: options.schema, table }));
    await lockTables(
      client,
      changing.length ? [...changing.map((t) => t.shape), ...records] : [],
      options.lockTimeoutMs,
    );
    phase("lock tables");
    const shapes: ShapeResult[] = [];
    for (const t of tables)
      shapes.push(await ensureTable(client, t.shape, { allowRecreate: options.allowRecreate, logger }));
    const modes = tables.map((t, i) => {
      const shape = shapes[i]!;
      if (!shape.created && !shape.addedColumns.length && !changing.includes(t)) return "unchanged" as const;
      return t.incremental && !shape.created ? ("incremental" as const) : ("full" as const);
    });
    const truncated = tables.filter((_, i) => modes[i] === "full");
    const owned = new Set(tables.map((t) => `${t.shape.schema}.${t.shape.table}`));
    const kept = await dropForeignKeys(
      client,
      truncated.map((t) => t.shape),
      owned,
    );
    phase("ensure tables, drop foreign keys");
    for (const [i, t] of tables.entries()) {
      const started = Date.now();
      const mode = modes[i]!;
      const qualified = `${quoteIdent(t.shape.schema)}.${quoteIdent(t.shape.table)}`;
      if (mode === "full") {
        await client.query(`truncate ${qualified}`);
        await dropLoadKeys(client, t.keys);
        phase(`${qualified} truncate, drop keys`);
        await replaceRows(client, duck, { qualified, columns: t.columns, sql: t.sql, expectedRows: t.rowCount });
        phase(`${qualified} copy`);
        await addLoadKeys(client, t.keys);
        phase(`${qualified} primary key and indexes`);
      } else if (mode === "incremental") {
        await addLoadKeys(client, t.keys);
        await upsertRows(client, duck, {
          qualified,
          columns: t.columns,
          sql: t.sql,
          primaryKey: t.keys.uniqueKey,
          expectedRows: t.rowCount,
        });
      }
      if (mode === "unchanged") await recordBuildId(client, t.shape.schema, t.shape.table, options.build.buildId);
      else
        await recordSynced(client, t.shape.schema, {
          table: t.shape.table,
          rowCount: t.rowCount,
          checksum: t.checksum,
          columns: t.shape.columns,
          runId: options.runId,
          buildId: options.build.buildId,
        });
      const shape = shapes[i]!;
      results.push({
        schema: t.shape.schema,
        table: t.shape.table,
        mode,
        rowCount: t.rowCount,
        durationMs: Date.now() - started,
        created: shape.created,
        addedColumns: shape.addedColumns,
        oid: shape.oid,
      });
    }
    phase("record state");
    for (const t of tables) await addForeignKeys(client, t.keys, logger);
    await restoreForeignKeys(client, kept, logger);
    phase("foreign keys");
    for (const [i, t] of tables.entries())
      if (modes[i] !== "unchanged")
        await client.query(`analyze ${quoteIdent(t.shape.schema)}.${quoteIdent(t.shape.table)}`);
    phase("analyze");
    await recordPublished(
      client,
      options.schema,
      options.build,
      tables.map((t) => `${t.shape.schema}.${t.shape.table}`),
      options.runId,
    );
    await client.query("commit");
    phase("record published, commit");
    return results;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
}

/** Foreign keys from tables outside this publish (an earlier `--select`) come back as they were, or NOT VALID. */
async function restoreForeignKeys(
  client: pg.PoolClient,
  kept: { owner: string; name: string; definition: string }[],
  logger: Logger,
): Promise<void> {
  for (const fk of kept) {
    await client.query("savepoint duckmart_fk");
    try {
      await client.query(`alter table ${fk.owner} add constraint ${quoteIdent(fk.name)} ${fk.definition}`);
      await client.query("release savepoint duckmart_fk");
    } catch (error) {
      await client.query("rollback to savepoint duckmart_fk");
      if ((error as { code?: string }).code !== "23503") throw error;
      await client.query(`alter table ${fk.owner} add constraint ${quoteIdent(fk.name)} ${fk.definition} not valid`);
      logger.warn(`${fk.owner}: foreign key ${fk.name} no longer holds (that table is from another build): NOT VALID`);
    }
  }
}

/**
 * An empty mart must not silently wipe a full warehouse table (a failed extract looks like that), unless
 * --allow-empty, or the build is from other sources than the table's (`switchedFrom`): a files shop with no
 * payments source after a sample build empties fact_payments rightly, or the warehouse would keep the sample's
 * payments beside the shop's real orders.
 */
export function assertNotEmptied(
  table: string,
  rowCount: number,
  liveRows: number,
  allowEmpty: boolean,
  switchedFrom?: string,
): void {
  if (rowCount > 0 || liveRows === 0 || allowEmpty || switchedFrom) return;
  throw new DuckmartError(
    `Refusing to publish ${table}: the build has 0 rows, the warehouse has ${liveRows.toLocaleString("en-US")}`,
    {
      hint: "An empty mart usually means a failed extract. Check the build (duckmart test), or rerun the sync with --allow-empty (duckmart sync --allow-empty) if it really is empty.",
    },
  );
}
