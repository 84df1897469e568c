import type { DuckDBConnection } from "@duckdb/node-api";
import type pg from "pg";
import { quoteIdent } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { ArrowColumn } from "../../cli/core/arrow/duckdb-arrow.ts";
import { copyBinary } from "./copy-binary.ts";

/** Full refresh inside the publish transaction: the table was just truncated and stripped of its keys. */
export async function replaceRows(
  client: pg.PoolClient,
  duck: DuckDBConnection,
  options: { qualified: string; columns: ArrowColumn[]; sql: string; expectedRows: number },
): Promise<number> {
  const copied = await copyBinary(client, duck, {
    target: options.qualified,
    ...options,
    freeze: true,
  });
  assertCount(options.qualified, copied, options.expectedRows);
  return copied;
}

/** Incremental, inside the publish transaction: COPY into a temp table, then INSERT ... ON CONFLICT (key) DO UPDATE. */
export async function upsertRows(
  client: pg.PoolClient,
  duck: DuckDBConnection,
  options: {
    qualified: string;
    columns: ArrowColumn[];
    sql: string;
    primaryKey: string[];
    expectedRows: number;
  },
): Promise<number> {
  const names = options.columns.map((c) => quoteIdent(c.name));
  const keys = options.primaryKey.map(quoteIdent);
  const updates = names.filter((n) => !keys.includes(n)).map((n) => `${n} = excluded.${n}`);
  await client.query(`create temp table duckmart_stage (like ${options.qualified} including defaults) on commit drop`);
  const copied = await copyBinary(client, duck, {
    target: "duckmart_stage",
    columns: options.columns,
    sql: options.sql,
  });
  assertCount(options.qualified, copied, options.expectedRows);
  await client.query(
    `insert into ${options.qualified} (${names.join(", ")}) select ${names.join(", ")} from duckmart_stage
     on conflict (${keys.join(", ")}) do ${updates.length ? `update set ${updates.join(", ")}` : "nothing"}`,
  );
  await client.query("drop table duckmart_stage");
  return copied;
}

function assertCount(table: string, copied: number, expected: number): void {
  if (copied !== expected) {
    throw new DuckmartError(`Row count mismatch for ${table}: copied ${copied}, DuckDB has ${expected}`, {
      hint: "The load was rolled back; the previous rows are kept. Rerun the sync.",
    });
  }
}
