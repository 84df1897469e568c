import type { DuckDBConnection } from "@duckdb/node-api";
import type pg from "pg";
import { queryRows, quoteIdent } from "../../cli/core/duckdb.ts";
import type { ArrowColumn } from "../../cli/core/arrow/duckdb-arrow.ts";
import { pgType } from "./pg-types.ts";

export interface ColumnCheck {
  table: string;
  column: string;
  check: string;
  duckdb: string;
  postgres: string;
  match: boolean;
}

/** Per-column checksums computed the same way in both engines: non-null count plus a type-specific sum. */
function checks(column: ArrowColumn): { check: string; duck: string; pg: string; tolerance?: number }[] {
  const d = quoteIdent(column.name);
  const type = pgType(column.field);
  const count = { check: "count", duck: `count(${d})::varchar`, pg: `count(${d})::text` };
  if (/^(smallint|integer|bigint|numeric)/.test(type))
    return [count, { check: "sum", duck: `coalesce(sum(${d}), 0)::varchar`, pg: `coalesce(sum(${d}), 0)::text` }];
  if (type === "real" || type === "double precision")
    return [
      count,
      {
        check: "sum",
        duck: `coalesce(sum(${d}), 0)::double::varchar`,
        pg: `coalesce(sum(${d}), 0)::float8::text`,
        tolerance: 1e-9,
      },
    ];
  if (type === "boolean")
    return [
      count,
      { check: "true count", duck: `count(*) filter (where ${d})::varchar`, pg: `count(*) filter (where ${d})::text` },
    ];
  // The sums take the finite values only (Postgres cannot subtract an infinite date, and DuckDB's epoch of an
  // infinite timestamp is NULL); the infinities are counted on their own, as "+infinity/-infinity".
  if (type === "date")
    return [
      count,
      {
        check: "sum of days",
        duck: `coalesce(sum(${d} - date '1970-01-01') filter (where isfinite(${d})), 0)::varchar`,
        pg: `coalesce(sum(${d} - date '1970-01-01') filter (where isfinite(${d})), 0)::text`,
      },
      infinities(d),
    ];
  if (type.startsWith("timestamp"))
    return [
      count,
      {
        check: "sum of epoch",
        duck: `coalesce(sum(epoch_us(${d})) filter (where isfinite(${d})), 0)::varchar`,
        pg: `coalesce(sum((extract(epoch from ${d}) * 1000000)::numeric) filter (where isfinite(${d})), 0)::text`,
      },
      infinities(d),
    ];
  if (type === "text")
    return [
      count,
      {
        check: "sum of lengths",
        duck: `coalesce(sum(length(${d})), 0)::varchar`,
        pg: `coalesce(sum(length(${d})), 0)::text`,
      },
    ];
  return [count];
}

/** "+infinity/-infinity" counts of a date or timestamp column, e.g. "1/0". */
function infinities(d: string): { check: string; duck: string; pg: string } {
  const n = (value: string, cast: string) => `(count(*) filter (where ${d} = '${value}'))::${cast}`;
  return {
    check: "infinities (+/-)",
    duck: `${n("infinity", "varchar")} || '/' || ${n("-infinity", "varchar")}`,
    pg: `${n("infinity", "text")} || '/' || ${n("-infinity", "text")}`,
  };
}

export async function verifyTable(
  duck: DuckDBConnection,
  client: pg.PoolClient,
  options: { table: string; sql: string; qualified: string; columns: ArrowColumn[] },
): Promise<ColumnCheck[]> {
  const all = options.columns.flatMap((c) => checks(c).map((k) => ({ column: c.name, ...k })));
  if (!all.length) return [];
  const duckRow =
    (await queryRows(duck, `select ${all.map((k, i) => `${k.duck} as c${i}`).join(", ")} from (${options.sql})`))[0] ??
    {};
  const pgRow = (
    await client.query(`select ${all.map((k, i) => `${k.pg} as c${i}`).join(", ")} from ${options.qualified}`)
  ).rows[0] as Record<string, string>;
  return all.map((k, i) => {
    const a = String(duckRow[`c${i}`]);
    const b = String(pgRow[`c${i}`]);
    const match = k.tolerance
      ? Math.abs(Number(a) - Number(b)) <= k.tolerance * Math.max(1, Math.abs(Number(a)))
      : normalize(a) === normalize(b);
    return { table: options.table, column: k.column, check: k.check, duckdb: a, postgres: b, match };
  });
}

/** "12.50" and "12.5" are the same sum. */
function normalize(value: string): string {
  return /^-?\d+\.\d+$/.test(value) ? value.replace(/\.?0+$/, "") : value;
}
