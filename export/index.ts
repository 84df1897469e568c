import type { DuckDBConnection } from "@duckdb/node-api";
import { existsSync } from "node:fs";
import type pg from "pg";
import { duckdbOptionsFor, queryRows, quoteIdent, quoteLiteral, withDuckdb } from "../cli/core/duckdb.ts";
import { DuckmartError } from "../cli/core/errors.ts";
import type { Logger } from "../cli/core/logger.ts";
import type { StageContext } from "../cli/core/contracts/stage-context.ts";
import { martNodes, readCatalog, type CatalogNode } from "../cli/core/contracts/catalog.ts";
import { arrowColumn } from "../cli/core/arrow/duckdb-arrow.ts";
import { connect, createPool, describeConnectionError } from "./postgres/connection.ts";
import { replaceRows, upsertRows } from "./postgres/load-table.ts";
import { pgType } from "./postgres/pg-types.ts";
import { ensureStateTable, readState, recordBuildId, recordSynced } from "./postgres/sync-state.ts";
import { ensureTable } from "./postgres/table-shape.ts";
import { verifyTable, type ColumnCheck } from "./postgres/verify.ts";

export interface SyncOptions {
  databaseUrl: string;
  schema: string;
  select?: string[];
  /** Upsert the tables whose yml declares `sync: {mode: incremental}` on their key, instead of a full refresh. */
  incremental?: boolean;
  allowRecreate?: boolean;
  verify?: boolean;
  runId?: string;
  lockTimeoutMs?: number;
  /** The build to publish: its id, catalog and marts (default: the current build through the stable paths). */
  build?: { buildId: string; catalog: string; mart: (model: string) => string };
}

export interface TableSyncResult {
  table: string;
  mode: "full" | "incremental" | "unchanged";
  rowCount: number;
  durationMs: number;
  created: boolean;
  addedColumns: string[];
  oid: string;
}

export interface SyncSummary {
  schema: string;
  tables: TableSyncResult[];
  checks: ColumnCheck[];
  durationMs: number;
}

/** Publish the marts to Postgres through Arrow and COPY, keeping each table's identity (OID) across syncs. */
export async function syncMarts(context: StageContext, options: SyncOptions): Promise<SyncSummary> {
  const started = Date.now();
  const { paths, logger, config } = context;
  const build = options.build ?? { buildId: undefined, catalog: paths.catalog, mart: paths.mart };
  const catalog = await readCatalog(build.catalog);
  const marts = martNodes(catalog).filter((n) => !options.select?.length || options.select.includes(n.name));
  for (const name of options.select ?? []) {
    if (!marts.some((m) => m.name === name))
      throw new DuckmartError(`--select: no mart named "${name}"`, {
        hint: `Marts: ${martNodes(catalog)
          .map((m) => m.name)
          .join(", ")}`,
        exitCode: 2,
      });
  }
  const pool = createPool(options.databaseUrl);
  pool.on("error", () => undefined);
  try {
    const client = await connect(pool, options.databaseUrl);
    try {
      await ensureStateTable(client, options.schema);
      return await withDuckdb(duckdbOptionsFor(config), async (duck) => {
        const tables: TableSyncResult[] = [];
        const checks: ColumnCheck[] = [];
        for (const node of marts) {
          const result = await syncTable(duck, client, node, options, build.mart(node.name), logger);
          tables.push(result);
          logger.info(
            `synced ${options.schema}.${node.name}: ${result.mode === "unchanged" ? "unchanged" : `${result.rowCount.toLocaleString("en-US")} rows (${result.mode})`} in ${result.durationMs} ms`,
          );
          if (options.verify)
            checks.push(
              ...(await verifyTable(duck, client, {
                table: node.name,
                parquet: build.mart(node.name),
                qualified: qualify(options.schema, node.name),
                columns: await martColumns(duck, node.name, build.mart(node.name)),
              })),
            );
        }
        return { schema: options.schema, tables, checks, durationMs: Date.now() - started };
      });
    } finally {
      client.release();
    }
  } catch (error) {
    if (error instanceof DuckmartError) throw error;
    const code = (error as { code?: string }).code;
    if (code && /^(08|28|3D|42501|EC|EN|ET)/.test(code)) throw describeConnectionError(error, options.databaseUrl);
    throw error;
  } finally {
    await pool.end();
  }
}

const qualify = (schema: string, table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;

async function martColumns(duck: DuckDBConnection, name: string, path: string) {
  if (!existsSync(path))
    throw new DuckmartError(`Mart ${name} has no Parquet at ${path}`, { hint: 'Run "duckmart transform" first.' });
  const described = await queryRows(
    duck,
    `select column_name, column_type from (describe select * from read_parquet(${quoteLiteral(path)}))`,
  );
  return described.map((d) => arrowColumn(String(d["column_name"]), String(d["column_type"]), name));
}

async function syncTable(
  duck: DuckDBConnection,
  client: pg.PoolClient,
  node: CatalogNode,
  options: SyncOptions,
  path: string,
  logger: Logger,
): Promise<TableSyncResult> {
  const started = Date.now();
  const columns = await martColumns(duck, node.name, path);
  const pgColumns = columns.map((c) => ({ name: c.name, type: pgType(c.field) }));
  const source = `read_parquet(${quoteLiteral(path)})`;
  const stats = (
    await queryRows(duck, `select count(*) as n, coalesce(sum(hash(t)), 0)::varchar as checksum from ${source} t`)
  )[0]!;
  const rowCount = Number(stats["n"]);
  const checksum = String(stats["checksum"]);
  const pk = node.primaryKey;
  await client.query("begin");
  let shape;
  try {
    shape = await ensureTable(
      client,
      {
        schema: options.schema,
        table: node.name,
        columns: pgColumns,
        primaryKey: pk,
        foreignKeys: node.foreignKeys.flatMap((fk) => fk.columns),
        uniqueKey: node.sync.mode === "incremental" ? node.sync.uniqueKey : [],
        doc: node,
      },
      { allowRecreate: Boolean(options.allowRecreate), logger },
    );
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
  const state = await readState(client, options.schema, node.name);
  const base = { table: node.name, created: shape.created, addedColumns: shape.addedColumns, oid: shape.oid };
  if (
    !shape.created &&
    !shape.addedColumns.length &&
    state?.checksum === checksum &&
    state.row_count === String(rowCount)
  ) {
    // Same rows as the last sync: only the build they now belong to changes.
    if (options.build) await recordBuildId(client, options.schema, node.name, options.build.buildId);
    return { ...base, mode: "unchanged", rowCount, durationMs: Date.now() - started };
  }
  const qualified = qualify(options.schema, node.name);
  const sql = `select ${columns.map((c) => c.select).join(", ")} from ${source}`;
  const afterLoad = () =>
    recordSynced(client, options.schema, {
      table: node.name,
      rowCount,
      checksum,
      columns: pgColumns,
      runId: options.runId,
      buildId: options.build?.buildId,
    });
  const upsertKey = node.sync.mode === "incremental" ? node.sync.uniqueKey : [];
  const incremental = Boolean(options.incremental && upsertKey.length && !shape.created);
  if (incremental) {
    await upsertRows(client, duck, {
      qualified,
      columns,
      sql,
      primaryKey: upsertKey,
      expectedRows: rowCount,
      afterLoad,
    });
  } else {
    await replaceRows(client, duck, {
      qualified,
      columns,
      sql,
      expectedRows: rowCount,
      lockTimeoutMs: options.lockTimeoutMs ?? 60_000,
      afterLoad,
    });
  }
  await client.query(`analyze ${qualified}`);
  return { ...base, mode: incremental ? "incremental" : "full", rowCount, durationMs: Date.now() - started };
}
