import type pg from "pg";
import { quoteIdent } from "../../cli/core/duckdb.ts";
import type { Logger } from "../../cli/core/logger.ts";

/** A foreign key between two published tables (Metabase reads these to offer joins). */
export interface PgForeignKey {
  columns: string[];
  schema: string;
  table: string;
  refColumns: string[];
}

/** The keys duckmart owns on a table: dropped before a bulk load and built again after it. */
export interface TableKeys {
  schema: string;
  table: string;
  primaryKey: string[];
  /** The incremental upsert key when it is not the primary key: a unique index (ON CONFLICT needs one). */
  uniqueKey: string[];
  /** Foreign-key columns: one index each. */
  indexed: string[];
  foreignKeys: PgForeignKey[];
}

const qualify = (schema: string, table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;
const name = (...parts: string[]) => parts.join("_").slice(0, 63);
export const pkName = (table: string) => name(table, "pkey");
const fkName = (table: string, columns: string[]) => name(table, ...columns, "fkey");
const uniqueName = (table: string, columns: string[]) => name(table, ...columns, "key");
const indexName = (table: string, column: string) => name(table, column, "idx");

/**
 * Drop the primary key and indexes before a TRUNCATE + COPY: building them once after the load is much faster
 * than maintaining them row by row (the foreign keys that depend on the primary key were dropped first).
 */
export async function dropLoadKeys(client: pg.PoolClient, keys: TableKeys): Promise<void> {
  const table = qualify(keys.schema, keys.table);
  await client.query(`alter table ${table} drop constraint if exists ${quoteIdent(pkName(keys.table))}`);
  const indexes = [
    ...(keys.uniqueKey.length ? [uniqueName(keys.table, keys.uniqueKey)] : []),
    ...keys.indexed.map((c) => indexName(keys.table, c)),
  ];
  for (const index of indexes)
    await client.query(`drop index if exists ${quoteIdent(keys.schema)}.${quoteIdent(index)}`);
}

/** Build the primary key and indexes that are missing (after a load, or on a table from an older duckmart). */
export async function addLoadKeys(client: pg.PoolClient, keys: TableKeys): Promise<void> {
  const table = qualify(keys.schema, keys.table);
  if (keys.primaryKey.length) {
    const { rows } = await client.query(`select 1 from pg_constraint where conrelid = $1::regclass and contype = 'p'`, [
      table,
    ]);
    if (!rows.length)
      await client.query(
        `alter table ${table} add constraint ${quoteIdent(pkName(keys.table))} primary key (${keys.primaryKey.map(quoteIdent).join(", ")})`,
      );
  }
  if (keys.uniqueKey.length && keys.uniqueKey.join(",") !== keys.primaryKey.join(","))
    await client.query(
      `create unique index if not exists ${quoteIdent(uniqueName(keys.table, keys.uniqueKey))} on ${table} (${keys.uniqueKey.map(quoteIdent).join(", ")})`,
    );
  for (const column of keys.indexed) {
    if (keys.primaryKey[0] === column) continue;
    await client.query(
      `create index if not exists ${quoteIdent(indexName(keys.table, column))} on ${table} (${quoteIdent(column)})`,
    );
  }
}

/**
 * Drop every foreign key touching these tables (either end), so each can be truncated and loaded on its own.
 * Those owned by the publish are added back from the catalog; the others (a user's table, a table left out by
 * `--select`) are returned with their definition, to be added back before the commit.
 */
export async function dropForeignKeys(
  client: pg.PoolClient,
  tables: { schema: string; table: string }[],
  group: Set<string>,
): Promise<{ owner: string; name: string; definition: string }[]> {
  if (!tables.length) return [];
  const { rows } = await client.query<{ conname: string; nspname: string; relname: string; definition: string }>(
    `select c.conname, n.nspname, r.relname, pg_get_constraintdef(c.oid) as definition
     from pg_constraint c join pg_class r on r.oid = c.conrelid join pg_namespace n on n.oid = r.relnamespace
     where c.contype = 'f' and (c.conrelid = any($1::regclass[]) or c.confrelid = any($1::regclass[]))`,
    [tables.map((t) => qualify(t.schema, t.table))],
  );
  const kept = [];
  for (const row of rows) {
    const owner = qualify(row.nspname, row.relname);
    await client.query(`alter table ${owner} drop constraint ${quoteIdent(row.conname)}`);
    if (!group.has(`${row.nspname}.${row.relname}`))
      kept.push({ owner, name: row.conname, definition: row.definition });
  }
  return kept;
}

/**
 * Add the foreign keys, validated. Rows that break one (the build's relationships test should have failed) leave
 * it NOT VALID, which Metabase still reads, with a warning naming the count.
 */
export async function addForeignKeys(client: pg.PoolClient, keys: TableKeys, logger: Logger): Promise<void> {
  const table = qualify(keys.schema, keys.table);
  for (const fk of keys.foreignKeys) {
    const constraint = fkName(keys.table, fk.columns);
    const { rows } = await client.query(`select 1 from pg_constraint where conrelid = $1::regclass and conname = $2`, [
      table,
      constraint,
    ]);
    if (rows.length) continue;
    const ddl = `alter table ${table} add constraint ${quoteIdent(constraint)} foreign key (${fk.columns.map(quoteIdent).join(", ")}) references ${qualify(fk.schema, fk.table)} (${fk.refColumns.map(quoteIdent).join(", ")})`;
    await client.query("savepoint duckmart_fk");
    try {
      await client.query(ddl);
      await client.query("release savepoint duckmart_fk");
    } catch (error) {
      await client.query("rollback to savepoint duckmart_fk");
      if ((error as { code?: string }).code !== "23503") throw error;
      await client.query(`${ddl} not valid`);
      logger.warn(
        `${keys.schema}.${keys.table}.${fk.columns.join(", ")} has values missing from ${fk.schema}.${fk.table}: its foreign key is NOT VALID (Metabase still sees it). Check the relationships test of ${keys.table}.`,
      );
    }
  }
}
