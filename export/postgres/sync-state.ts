import type pg from "pg";
import { quoteIdent } from "../../cli/core/duckdb.ts";
import { redactDeep } from "../../cli/core/redact.ts";

export interface SyncState {
  table_name: string;
  table_oid: string;
  row_count: string;
  checksum: string;
  columns: { name: string; type: string }[];
}

/** duckmart_sync_state records the tables duckmart created (by OID), with the checksum and row count of the last sync. */
export async function ensureStateTable(client: pg.PoolClient, schema: string): Promise<void> {
  await client.query(`create schema if not exists ${quoteIdent(schema)}`);
  await client.query(`create table if not exists ${quoteIdent(schema)}.duckmart_sync_state (
    table_name text primary key,
    table_oid oid not null,
    created_at timestamptz not null default now(),
    synced_at timestamptz,
    row_count bigint,
    checksum text,
    columns jsonb,
    run_id text,
    build_id text
  )`);
  // Tables created before builds existed get the column.
  await client.query(`alter table ${quoteIdent(schema)}.duckmart_sync_state add column if not exists build_id text`);
}

export async function readState(client: pg.PoolClient, schema: string, table: string): Promise<SyncState | undefined> {
  const { rows } = await client.query<SyncState>(
    `select table_name, table_oid::text, row_count::text, checksum, columns from ${quoteIdent(schema)}.duckmart_sync_state where table_name = $1`,
    [table],
  );
  return rows[0];
}

export async function recordCreated(client: pg.PoolClient, schema: string, table: string, oid: string): Promise<void> {
  await client.query(
    `insert into ${quoteIdent(schema)}.duckmart_sync_state (table_name, table_oid) values ($1, $2::oid)
     on conflict (table_name) do update set table_oid = excluded.table_oid, created_at = now(), checksum = null`,
    [table, oid],
  );
}

export async function recordSynced(
  client: pg.PoolClient,
  schema: string,
  state: {
    table: string;
    rowCount: number;
    checksum: string;
    columns: { name: string; type: string }[];
    runId?: string;
    buildId?: string;
  },
): Promise<void> {
  const safe = redactDeep(state);
  await client.query(
    `update ${quoteIdent(schema)}.duckmart_sync_state set synced_at = now(), row_count = $2, checksum = $3, columns = $4::jsonb, run_id = $5, build_id = $6 where table_name = $1`,
    [safe.table, safe.rowCount, safe.checksum, JSON.stringify(safe.columns), safe.runId ?? null, safe.buildId ?? null],
  );
}

export async function tableOid(client: pg.PoolClient, schema: string, table: string): Promise<string | undefined> {
  const { rows } = await client.query<{ oid: string }>(
    `select c.oid::text as oid from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
    [schema, table],
  );
  return rows[0]?.oid;
}

export async function recordBuildId(
  client: pg.PoolClient,
  schema: string,
  table: string,
  buildId: string,
): Promise<void> {
  await client.query(`update ${quoteIdent(schema)}.duckmart_sync_state set build_id = $2 where table_name = $1`, [
    table,
    buildId,
  ]);
}
