import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { duckdbOptionsFor, quoteIdent, quoteLiteral, withDuckdb } from "../cli/core/duckdb.ts";
import { historyMart, readHistoryManifest } from "../cli/core/contracts/history.ts";
import type { StageContext } from "../cli/core/contracts/stage-context.ts";
import { publishHistory } from "../cli/core/history-store.ts";
import { connect, createPool } from "./postgres/connection.ts";

export interface HistoryRestore {
  snapshot: string;
  table: string;
  /**
   * restored: the local copy was missing or older; current: the local copy is as new; absent: not in the warehouse;
   * other source: the warehouse holds another shop source's history (left alone: this source keeps its own).
   */
  status: "restored" | "current" | "absent" | "other source";
  warehouseAsOf?: string;
  localAsOf?: string;
  rowCount?: number;
}

/**
 * The warehouse is history's durable home: each snapshot's whole history is synced as the table mart
 * history_<entity>. A lake whose local history is missing, or older than the build the warehouse holds (say, a
 * runner whose cache was evicted), gets it back from there, before anything is built on top of it. Only the history
 * of the shop source the warehouse's build was from (duckmart_published.shop_source) is restored, into that source's
 * history/<shop source>/.
 */
export async function restoreHistory(
  context: StageContext,
  snapshots: string[],
  shopSource: string,
): Promise<HistoryRestore[]> {
  const { config, paths } = context;
  const url = config.databaseUrl!;
  const pool = createPool(url, { max: 1 });
  const client = await connect(pool, url);
  const dir = await mkdtemp(join(tmpdir(), "duckmart-history-"));
  try {
    const results: HistoryRestore[] = [];
    for (const snapshot of snapshots) {
      const table = historyMart(snapshot);
      const published = await publishedBuild(client, config.schema, table);
      const warehouseAsOf = published?.asOf;
      const local = await readHistoryManifest(paths, shopSource, snapshot);
      const base = { snapshot, table: `${config.schema}.${table}`, warehouseAsOf, localAsOf: local?.asOf };
      if (!warehouseAsOf) results.push({ ...base, status: "absent" });
      else if (published.shopSource && published.shopSource !== shopSource)
        results.push({ ...base, status: "other source" });
      else if (local && local.asOf >= warehouseAsOf) results.push({ ...base, status: "current" });
      else
        results.push({
          ...base,
          status: "restored",
          rowCount: await restoreOne(context, client, { snapshot, shopSource, asOf: warehouseAsOf }, dir),
        });
    }
    return results;
  } finally {
    client.release();
    await pool.end();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The as-of day and shop source of the newest build whose sync published the table (undefined: not there). */
async function publishedBuild(
  client: pg.PoolClient,
  schema: string,
  table: string,
): Promise<{ asOf: string; shopSource?: string } | undefined> {
  const exists = await client.query(
    `select 1 from information_schema.tables where table_schema = $1 and table_name = $2
     union all select 1 from information_schema.tables where table_schema = $1 and table_name = 'duckmart_published'`,
    [schema, table],
  );
  if (exists.rowCount !== 2) return undefined;
  const published = await client.query<{ as_of: string | null; shop_source: string | null }>(
    `select as_of::text as as_of, shop_source from ${quoteIdent(schema)}.duckmart_published
     where $1 = any(tables) or $2 = any(tables) order by published_at desc limit 1`,
    [table, `${schema}.${table}`],
  );
  const row = published.rows[0];
  if (!row?.as_of) return undefined;
  return { asOf: row.as_of, ...(row.shop_source ? { shopSource: row.shop_source } : {}) };
}

async function restoreOne(
  context: StageContext,
  client: pg.PoolClient,
  { snapshot, shopSource, asOf }: { snapshot: string; shopSource: string; asOf: string },
  dir: string,
): Promise<number> {
  const { config, paths } = context;
  const table = historyMart(snapshot);
  const columns = await client.query<{ column_name: string; type: string }>(
    `select column_name, format_type(a.atttypid, a.atttypmod) as type
     from information_schema.columns c
     join pg_attribute a on a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
         and a.attname = c.column_name
     where c.table_schema = $1 and c.table_name = $2 order by c.ordinal_position`,
    [config.schema, table],
  );
  const file = join(dir, `${table}.csv`);
  const target = `${quoteIdent(config.schema)}.${quoteIdent(table)}`;
  await pipeline(
    client.query(copyTo(`copy (select * from ${target}) to stdout with (format csv, header)`)),
    createWriteStream(file),
  );
  const types = columns.rows.map((c) => `${quoteLiteral(c.column_name)}: ${quoteLiteral(duckdbType(c.type))}`);
  return withDuckdb(duckdbOptionsFor(config), async (connection) => {
    await connection.run(
      `create temp table restored as select * from read_csv(${quoteLiteral(file)}, header = true, columns = {${types.join(", ")}})`,
    );
    const published = await publishHistory(connection, paths, "restored", "all", {
      snapshot,
      shopSource,
      asOf,
      days: [],
      definition: "",
      restoredFrom: `warehouse ${config.schema}.${table} (build as of ${asOf})`,
    });
    return published.rowCount;
  });
}

/** Postgres column types (as the sync created them) back to DuckDB's. */
function duckdbType(pgType: string): string {
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(pgType);
  if (numeric) return `decimal(${numeric[1]}, ${numeric[2]})`;
  const map: Record<string, string> = {
    smallint: "smallint",
    integer: "integer",
    bigint: "bigint",
    real: "float",
    "double precision": "double",
    boolean: "boolean",
    date: "date",
    text: "varchar",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
    jsonb: "json",
    numeric: "double",
  };
  return map[pgType] ?? "varchar";
}
