import { once } from "node:events";
import type { DuckDBConnection } from "@duckdb/node-api";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { quoteIdent } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import { streamArrowBatches, type ArrowColumn } from "../../cli/core/arrow/duckdb-arrow.ts";
import { encodeBatch } from "./copy-text.ts";

/** Flush to the socket in large writes: one buffer per row (or even per 2048-row chunk) is slow. */
const FLUSH_BYTES = 1 << 20;

/** Stream a DuckDB query into `COPY target (columns) FROM STDIN` through Arrow batches; returns rows copied. */
export async function copyInto(
  client: pg.PoolClient,
  duck: DuckDBConnection,
  options: { target: string; columns: ArrowColumn[]; sql: string },
): Promise<number> {
  const columnList = options.columns.map((c) => quoteIdent(c.name)).join(", ");
  const stream = client.query(copyFrom(`copy ${options.target} (${columnList}) from stdin`));
  const failed = new Promise<never>((_, reject) => stream.on("error", reject));
  failed.catch(() => undefined);
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (!pending.length) return;
    const buffer = Buffer.from(pending.join(""), "utf8");
    pending = [];
    pendingBytes = 0;
    if (!stream.write(buffer)) await Promise.race([once(stream, "drain"), failed]);
  };
  for await (const batch of streamArrowBatches(duck, options.sql, options.columns)) {
    const text = encodeBatch(batch);
    pending.push(text);
    pendingBytes += text.length;
    if (pendingBytes >= FLUSH_BYTES) await flush();
  }
  await flush();
  stream.end();
  await Promise.race([once(stream, "finish"), failed]);
  return Number(stream.rowCount);
}

/**
 * Full refresh that keeps the table's identity and never shows a torn table: TRUNCATE and COPY in one
 * transaction. Readers wait for the commit and then see the new rows; a crash rolls back to the old ones.
 */
export async function replaceRows(
  client: pg.PoolClient,
  duck: DuckDBConnection,
  options: {
    qualified: string;
    columns: ArrowColumn[];
    sql: string;
    expectedRows: number;
    lockTimeoutMs: number;
    afterLoad?: () => Promise<void>;
  },
): Promise<number> {
  await client.query("begin");
  try {
    await client.query(`set local lock_timeout = ${Math.round(options.lockTimeoutMs)}`);
    await client.query(`truncate ${options.qualified}`);
    const copied = await copyInto(client, duck, {
      target: options.qualified,
      columns: options.columns,
      sql: options.sql,
    });
    assertCount(options.qualified, copied, options.expectedRows);
    await options.afterLoad?.();
    await client.query("commit");
    return copied;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw lockError(error, options.qualified);
  }
}

/** Incremental: COPY into a temp staging table, then INSERT ... ON CONFLICT (primary key) DO UPDATE. */
export async function upsertRows(
  client: pg.PoolClient,
  duck: DuckDBConnection,
  options: {
    qualified: string;
    columns: ArrowColumn[];
    sql: string;
    primaryKey: string[];
    expectedRows: number;
    afterLoad?: () => Promise<void>;
  },
): Promise<number> {
  const names = options.columns.map((c) => quoteIdent(c.name));
  const keys = options.primaryKey.map(quoteIdent);
  const updates = names.filter((n) => !keys.includes(n)).map((n) => `${n} = excluded.${n}`);
  await client.query("begin");
  try {
    await client.query(
      `create temp table duckmart_stage (like ${options.qualified} including defaults) on commit drop`,
    );
    const copied = await copyInto(client, duck, {
      target: "duckmart_stage",
      columns: options.columns,
      sql: options.sql,
    });
    assertCount(options.qualified, copied, options.expectedRows);
    await client.query(
      `insert into ${options.qualified} (${names.join(", ")}) select ${names.join(", ")} from duckmart_stage
       on conflict (${keys.join(", ")}) do ${updates.length ? `update set ${updates.join(", ")}` : "nothing"}`,
    );
    await options.afterLoad?.();
    await client.query("commit");
    return copied;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
}

function assertCount(table: string, copied: number, expected: number): void {
  if (copied !== expected) {
    throw new DuckmartError(`Row count mismatch for ${table}: copied ${copied}, DuckDB has ${expected}`, {
      hint: "The load was rolled back; the previous rows are kept. Rerun the sync.",
    });
  }
}

function lockError(error: unknown, table: string): unknown {
  if ((error as { code?: string }).code === "55P03") {
    return new DuckmartError(`Timed out waiting for a lock on ${table}: a long-running query is using it`, {
      cause: error,
      transient: true,
      hint: "Rerun when the query has finished; the previous rows are kept.",
    });
  }
  return error;
}
