import {
  Bool,
  DateDay,
  Decimal,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Timestamp,
  Utf8,
  type Field,
} from "apache-arrow";
import { JSON_METADATA } from "../../cli/core/arrow/duckdb-arrow.ts";

/** Arrow field -> Postgres column type (the second half of DuckDB -> Arrow -> Postgres; see the README). */
export function pgType(field: Field): string {
  const t = field.type;
  if (t instanceof Int8 || t instanceof Int16) return "smallint";
  if (t instanceof Int32) return "integer";
  if (t instanceof Int64) return "bigint";
  if (t instanceof Float32) return "real";
  if (t instanceof Float64) return "double precision";
  if (t instanceof Decimal) return `numeric(${t.precision},${t.scale})`;
  if (t instanceof Bool) return "boolean";
  if (t instanceof DateDay) return "date";
  if (t instanceof Timestamp) return t.timezone ? "timestamp with time zone" : "timestamp without time zone";
  if (t instanceof Utf8) return field.metadata.get(JSON_METADATA) ? "jsonb" : "text";
  throw new Error(`No Postgres type for Arrow ${String(t)} (${field.name})`);
}

/** How information_schema spells a type, to compare an existing table with the wanted one. */
export function normalizePgType(dataType: string, precision: number | null, scale: number | null): string {
  return dataType === "numeric" && precision !== null ? `numeric(${precision},${scale ?? 0})` : dataType;
}

/**
 * A numeric column that gains decimals (numeric(18,2) -> numeric(18,6): the reporting marts' money kept exact) or
 * digits (numeric(18,6) -> numeric(38,6): sums of money past 10^12) is altered in place, so the table keeps its
 * identity; other type changes, fewer decimals or digits included, need a recreate. Existing values keep their
 * digits (a value past the new integer digits stops the sync, rolled back).
 */
export function isNumericRescale(from: string, to: string): boolean {
  const parts = (type: string) => /^numeric\((\d+),(\d+)\)$/.exec(type)?.slice(1).map(Number);
  const [was, now] = [parts(from), parts(to)];
  return !!was && !!now && from !== to && now[0]! >= was[0]! && now[1]! >= was[1]!;
}
