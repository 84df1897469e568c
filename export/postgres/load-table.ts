import { once } from "node:events";
import type { DuckDBConnection } from "@duckdb/node-api";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { quoteIdent } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import { streamArrowBatches, type ArrowColumn } from "../../cli/core/arrow/duckdb-arrow.ts";
import { encodeBatch } from "./copy-text.ts";
import { canPipeCsv, copyCsv } from "./copy-csv.ts";

/** Flush to the socket in large writes: one buffer per row (or even per 2048-row chunk) is slow. */
const FLUSH_BYTES = 1 << 20;

/** Stream a DuckDB query into `COPY target (columns) FROM STDIN`; returns rows copied. */
export function copyInto(
  client: pg.PoolClient,
  duck: DuckDBConnection,
  options: { target: string; columns: ArrowColumn[]; sql: string; freeze?: boolean; rows: number },
): Promise<number> {
  // The pipe costs a process (mkfifo) and a DuckDB COPY: worth it from about a hundred thousand rows.
  return canPipeCsv && options.rows >= PIPE_FROM_ROWS
    ? copyCsv(client, duck, options)
    : copyArrowText(client, duck, options);
}

const PIPE_FROM_ROWS = 100_000;

/** Through Arrow batches encoded as COPY text in JavaScript (where named pipes are missing). */
async function copyArrowText(
  client: pg.PoolClient,
  duck: DuckDBConnection,
  options: { target: string; columns: ArrowColumn[]; sql: string; freeze?: boolean },
): Promise<number> {
  const columnList = options.columns.map((c) => quoteIdent(c.name)).join(", ");
  // FREEZE (the table was truncated in this transaction): rows are written frozen, so the first readers and
  // VACUUM never rewrite the pages to set hint bits.
  const stream = client.query(
    copyFrom(`copy ${options.target} (${columnList}) from stdin${options.freeze ? " with (freeze)" : ""}`),
  );
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

/** Full refresh inside the publish transaction: the table was just truncated and stripped of its keys. */
export async function replaceRows(
  client: pg.PoolClient,
  duck: DuckDBConnection,
  options: { qualified: string; columns: ArrowColumn[]; sql: string; expectedRows: number },
): Promise<number> {
  const copied = await copyInto(client, duck, {
    target: options.qualified,
    ...options,
    freeze: true,
    rows: options.expectedRows,
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
  const copied = await copyInto(client, duck, {
    target: "duckmart_stage",
    columns: options.columns,
    sql: options.sql,
    rows: options.expectedRows,
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
