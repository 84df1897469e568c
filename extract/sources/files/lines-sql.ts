import { quoteIdent, quoteLiteral } from "../../../cli/core/duckdb.ts";
import type { LineField } from "../../../cli/core/files-config-schema.ts";
import { fileColumn } from "./file-input.ts";

/**
 * The temp table the typed lines are written to, in file order (its rowid is the line's position among all
 * lines). A table, not a scratch Parquet file: DuckDB fills it in parallel while keeping the order.
 */
export const linesTable = "file_typed_lines";

/** Money keeps the file's precision: six decimals (a millionth) holds any sub-cent amount an export carries. */
export const moneyType = "DECIMAL(18, 6)";

/** One mapped field as the lines SQL needs it (see MappedField in line-mapping.ts). */
export interface FieldSql {
  field: LineField;
  /** The field's text from the file (trimmed, null when empty): what a bad line quotes. */
  raw: string;
  /** The typed value, from the column `__raw_<field>`. */
  typed: string;
  /** Whether a non-empty raw value can fail to convert (then the line is bad). */
  checked: boolean;
}

/**
 * The typed canonical lines with drift columns, `__duckmart_file`, and per line `__bad` (`<field>:missing` or
 * `<field>:type` of the first failing check) and `__bad_value` (that field's text).
 */
export interface LinesShared {
  /** Every canonical field (in lineFields order), typed: `<the mapped field's value, else a typed null> as <field>`. */
  canonical: string[];
  drift: { name: string; as: string }[];
  required: LineField[];
  money: LineField[];
}

export function linesSql(options: LinesShared & { fields: FieldSql[]; relation: string }): string {
  const { fields, required } = options;
  const rawOf = (field: LineField) => quoteIdent(`__raw_${field}`);
  const checks = [
    // ordered_at may be given on an order's first line only (Shopify): an order with no date at all is refused later.
    ...required
      .filter((f) => f !== "ordered_at")
      .map((f) => ({ field: f, kind: "missing", sql: `${rawOf(f)} is null` })),
    {
      field: options.money[0]!,
      kind: "missing",
      sql: options.money.map((f) => `${rawOf(f)} is null`).join(" and "),
    },
    ...fields
      .filter((f) => f.checked)
      .map((f) => ({
        field: f.field,
        kind: "type",
        sql: `${rawOf(f.field)} is not null and ${quoteIdent(f.field)} is null`,
      })),
  ];
  // Checks run once (the first failing one names the field); the raw value is looked up by that name.
  return `select
        * exclude (${fields.map((f) => rawOf(f.field)).join(", ")}),
        case __bad ${checks.map((c) => `when ${quoteLiteral(`${c.field}:${c.kind}`)} then cast(${rawOf(c.field)} as varchar)`).join(" ")} end as __bad_value,
    from (
        select
            *,
            case ${checks.map((c) => `when ${c.sql} then ${quoteLiteral(`${c.field}:${c.kind}`)}`).join(" ")} end as __bad,
        from (
            select
                ${[...fields.map((f) => rawOf(f.field)), ...options.canonical].join(",\n                ")},
                ${[...options.drift.map((c) => `${quoteIdent(c.name)} as ${quoteIdent(c.as)}`), quoteIdent(fileColumn)].join(", ")},
            from (
                select *, ${fields.map((f) => `${f.raw} as ${rawOf(f.field)}`).join(", ")}
                from ${options.relation}
            )
        )
    )`;
}

/**
 * A text column trimmed (Unicode spaces, as DuckDB's trim) and null when empty. trim() is costly, so it runs only
 * where it can change the value: a leading or trailing space, or any non-ASCII character (then it decides).
 */
export function trimmedText(column: string, type: string): string {
  if (type !== "VARCHAR") return `nullif(trim(cast(${quoteIdent(column)} as varchar)), '')`;
  const value = quoteIdent(column);
  return `nullif(case when starts_with(${value}, ' ') or ends_with(${value}, ' ') or strlen(${value}) <> length(${value}) then trim(${value}) else ${value} end, '')`;
}
