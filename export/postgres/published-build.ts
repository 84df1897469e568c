import type pg from "pg";
import { quoteIdent } from "../../cli/core/duckdb.ts";

/** What a sync publishes: one build (from `duckmart transform`), named in the warehouse. */
export interface BuildInfo {
  buildId: string;
  asOf: string;
  shopSource: string;
  paymentsSource: string;
}

/**
 * `<schema>.duckmart_published`: one row per sync (the build, its as-of and sources, when), and the view
 * `<schema>.duckmart_build`: which build each table holds ("which build am I looking at?"). Both are written in
 * the transaction that publishes the data, so they never disagree with it.
 */
export async function ensurePublishedTables(client: pg.PoolClient, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  await client.query(`create table if not exists ${s}.duckmart_published (
    published_at timestamptz not null default now(),
    build_id text not null,
    as_of date,
    shop_source text,
    payments_source text,
    tables text[] not null,
    run_id text
  )`);
  await client.query(
    `comment on table ${s}.duckmart_published is 'One row per duckmart sync: the build it published (id, as-of, sources) and when.'`,
  );
  await client.query(`create or replace view ${s}.duckmart_build as
    select s.table_name, s.build_id, p.as_of, p.shop_source, p.payments_source, p.published_at, s.synced_at, s.row_count
    from ${s}.duckmart_sync_state s
    left join lateral (
      select * from ${s}.duckmart_published p where p.build_id = s.build_id order by p.published_at desc limit 1
    ) p on true`);
  await client.query(
    `comment on view ${s}.duckmart_build is 'Which duckmart build each table holds: id, as-of date, shop and payments sources, when it was published.'`,
  );
}

export async function recordPublished(
  client: pg.PoolClient,
  schema: string,
  build: BuildInfo,
  tables: string[],
  runId: string | undefined,
): Promise<void> {
  await client.query(
    `insert into ${quoteIdent(schema)}.duckmart_published (build_id, as_of, shop_source, payments_source, tables, run_id)
     values ($1, $2, $3, $4, $5, $6)`,
    [build.buildId, build.asOf, build.shopSource, build.paymentsSource, tables, runId ?? null],
  );
}

/** The shop and payments sources of the build a warehouse table holds now (undefined: none recorded). */
export async function liveSources(
  client: pg.PoolClient,
  schema: string,
  table: string,
): Promise<{ shopSource: string | null; paymentsSource: string | null } | undefined> {
  const { rows } = await client.query<{ shop_source: string | null; payments_source: string | null }>(
    `select shop_source, payments_source from ${quoteIdent(schema)}.duckmart_build where table_name = $1`,
    [table],
  );
  const row = rows[0];
  return row ? { shopSource: row.shop_source, paymentsSource: row.payments_source } : undefined;
}
