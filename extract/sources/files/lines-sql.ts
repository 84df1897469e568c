import { quoteIdent, quoteLiteral } from "../../../cli/core/duckdb.ts";
import type { LineField } from "../../../cli/core/files-config-schema.ts";
import { fileColumn } from "./file-input.ts";

/**
 * The view over the typed lines. They are written once, in file order, to a scratch Parquet file (compressed;
 * 10M lines as a temp table take gigabytes and crowd the memory limit the order aggregation needs), and the
 * view numbers them: `line_index` is the line's position among all lines, from 0.
 */
export const linesTable = "file_typed_lines";

export function linesViewSql(scratchPath: string): string {
  return `create or replace temp view ${linesTable} as
    select * exclude (file_row_number), file_row_number as line_index,
    from read_parquet(${quoteLiteral(scratchPath)}, file_row_number = true)`;
}

/** Money keeps the file's precision: six decimals (a millionth) holds any sub-cent amount an export carries. */
export const moneyType = "DECIMAL(18, 6)";

/**
 * Sums of money (an order's totals over its lines) at the same precision, 38 digits: a line stays below 10^11
 * (maxLineAmount), but twelve such lines pass the 10^12 that DECIMAL(18, 6) holds. DuckDB's sum of a
 * DECIMAL(18, 6) is this type.
 */
export const moneySumType = "DECIMAL(38, 6)";

/**
 * How money is read before its check: with three decimals more than kept, so a seventh decimal is seen, not rounded
 * away. 64-bit (to 999,999,999.999999999): a 128-bit decimal parses 20x slower. Larger amounts fail the CSV reader
 * (then the text read takes over) and convert as 128-bit decimals there.
 */
export const wideMoneyType = "DECIMAL(18, 9)";

/**
 * A money value (text, or `wideMoneyType`) as `moneyType`, or null when it does not convert exactly: more than six
 * decimals (a cast would round them, and the marts' totals would no longer be the file's) or too large.
 */
export function exactMoneySql(value: string): string {
  const exact = (wide: string) =>
    `case when ${wide} = try_cast(${wide} as ${moneyType}) then try_cast(${wide} as ${moneyType}) end`;
  const fast = `try_cast(${value} as ${wideMoneyType})`;
  // A CASE, not coalesce(): the 128-bit branch must run only for the rare values the 64-bit one cannot hold.
  return `case when ${fast} is not null then ${exact(fast)} else ${exact(`try_cast(${value} as DECIMAL(38, 18))`)} end`;
}

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
 * The typed lines: the mapped fields, drift columns, `__duckmart_file` (an enum of the files: one byte a line),
 * and per line `__bad` (an enum `<field>:missing` or `<field>:type` of the first failing check) and `__bad_value`
 * (that field's text with `withValues`; null without, so both reads give one shape).
 */
export interface LinesShared {
  /** The mapped canonical fields (in lineFields order), typed: `<the field's typed value> as <field>`. */
  canonical: string[];
  files: string[];
  drift: { name: string; as: string }[];
  required: LineField[];
  money: LineField[];
  /** Mapped money fields: none may be negative on a sale line (only a return, quantity < 0, carries negatives). */
  amounts: LineField[];
}

/** What a line's first failed check says of its field. */
export type CheckKind = "missing" | "type" | "negative" | "range" | "above_gross";

/** The largest amount a line may carry (and unit price x quantity reach): a hundred billion. */
export const maxLineAmount = 100_000_000_000;

export function linesSql(options: LinesShared & { fields: FieldSql[]; relation: string; withValues: boolean }): string {
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
    ...options.amounts.map((f) => ({
      field: f,
      kind: "negative",
      sql: `${quoteIdent(f)} < 0 and quantity > 0`,
    })),
    // Amounts the derived money (unit price x quantity) can still hold in DECIMAL(18, 6); the order totals and the
    // marts' sums are DECIMAL(38, 6). Exactly, in decimals: as a DOUBLE, 99999999999.999999 is 10^11, and a legal
    // line was refused. A unit price x quantity (DECIMAL(37, 6): a 128-bit product, 3x the time of a DOUBLE one over
    // 10M lines) is multiplied exactly only when the DOUBLE product (off by far less than 0.01%) comes near the limit.
    ...options.amounts.map((f) => ({
      field: f,
      kind: "range",
      sql:
        f === "unit_price"
          ? `case when abs(${quoteIdent(f)}::double * quantity) < ${maxLineAmount * 0.9999} then false else abs(${quoteIdent(f)} * quantity) >= ${maxLineAmount} end`
          : `abs(${quoteIdent(f)}) >= ${maxLineAmount}`,
    })),
    ...netAboveGross(options.money, rawOf),
  ];
  const codes = checks.map((c) => quoteLiteral(`${c.field}:${c.kind}`));
  const enumOf = (values: string[]) => `enum(${[...new Set(values)].join(", ")})`;
  // Checks run once (the first failing one names the field); the raw value is looked up by that name.
  const value = `case __bad ${checks.map((c, i) => `when ${codes[i]} then ${"value" in c ? c.value : `cast(${rawOf(c.field)} as varchar)`}`).join(" ")} end as __bad_value,`;
  return `select
        * exclude (${fields.map((f) => rawOf(f.field)).join(", ")}),
        ${options.withValues ? value : "null::varchar as __bad_value,"}
    from (
        select
            *,
            cast(case ${checks.map((c, i) => `when ${c.sql} then ${codes[i]}`).join(" ")} end as ${enumOf(codes)}) as __bad,
        from (
            select
                ${[...fields.map((f) => rawOf(f.field)), ...options.canonical].join(",\n                ")},
                ${[
                  ...options.drift.map((c) => `${quoteIdent(c.name)} as ${quoteIdent(c.as)}`),
                  `cast(${quoteIdent(fileColumn)} as ${enumOf(options.files.map(quoteLiteral))}) as ${quoteIdent(fileColumn)}`,
                ].join(", ")},
            from (
                select *, ${fields.map((f) => `${f.raw} as ${rawOf(f.field)}`).join(", ")}
                from ${options.relation}
            )
        )
    )`;
}

/**
 * A sale line whose net (after discount) is above its gross (line_gross_amount, else unit price x quantity) has a
 * negative discount, which no model takes (stg_orders tests that an order's net never exceeds its gross): the line
 * is bad, quoted as "net > gross" from the file's own text. Only where both are mapped; exact decimals (a double
 * would call 2.1 above 0.7 x 3).
 */
function netAboveGross(money: LineField[], rawOf: (field: LineField) => string) {
  if (!money.includes("line_net_amount")) return [];
  const sources = [
    ...(money.includes("line_gross_amount") ? [{ sql: "line_gross_amount", text: rawOf("line_gross_amount") }] : []),
    ...(money.includes("unit_price")
      ? [{ sql: "unit_price * quantity", text: `${rawOf("unit_price")} || ' x ' || ${rawOf("quantity")}` }]
      : []),
  ];
  if (!sources.length) return [];
  const gross =
    sources.length === 1
      ? sources[0]!
      : {
          sql: `coalesce(${sources.map((g) => g.sql).join(", ")})`,
          text: `coalesce(${sources.map((g) => g.text).join(", ")})`,
        };
  return [
    {
      field: "line_net_amount" as LineField,
      kind: "above_gross",
      sql: `quantity > 0 and line_net_amount > ${gross.sql}`,
      value: `${rawOf("line_net_amount")} || ' > ' || ${gross.text}`,
    },
  ];
}

/**
 * A text column trimmed (Unicode spaces, as DuckDB's trim) and null when empty. trim() is costly, so it runs only
 * where it can change the value: a leading or trailing space, or any non-ASCII character (then it decides).
 */
export function trimmedText(column: string, type: string): string {
  // A JSON column (NDJSON values of mixed types): its text, not its JSON ("0.67", not "\"0.67\"").
  if (type === "JSON") return `nullif(trim(${quoteIdent(column)} ->> '$'), '')`;
  if (type !== "VARCHAR") return `nullif(trim(cast(${quoteIdent(column)} as varchar)), '')`;
  const value = quoteIdent(column);
  return `nullif(case when starts_with(${value}, ' ') or ends_with(${value}, ' ') or strlen(${value}) <> length(${value}) then trim(${value}) else ${value} end, '')`;
}
