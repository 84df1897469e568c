import { quoteIdent, quoteLiteral } from "../../../cli/core/duckdb.ts";
import { DuckmartError } from "../../../cli/core/errors.ts";
import { lineFields, type LineField, type OrderLinesConfig } from "../../../cli/core/files-config-schema.ts";
import type { FileInput } from "./file-input.ts";
import { exactMoneySql, linesSql, moneyType, trimmedText, type CheckKind } from "./lines-sql.ts";
import { typedCsvLinesSql } from "./typed-csv-lines.ts";
import { describeDuplicate } from "./duplicate-columns.ts";
import { defaultStatuses, presets } from "./presets.ts";

type Kind = "text" | "int" | "money" | "timestamp" | "status";

const kinds: Partial<Record<LineField, Kind>> = {
  quantity: "int",
  line_net_amount: "money",
  line_gross_amount: "money",
  unit_price: "money",
  discount_amount: "money",
  discount_rate: "money",
  ordered_at: "timestamp",
  shipped_at: "timestamp",
  order_status: "status",
};

export { moneyType };
const sqlTypes: Record<Kind, string> = {
  text: "VARCHAR",
  int: "BIGINT",
  money: moneyType,
  timestamp: "TIMESTAMP",
  status: "VARCHAR",
};

const problems: Record<Kind, string> = {
  text: "is not text",
  int: "is not a whole number",
  money: "is not a number with at most 6 decimals (use a dot for decimals, no currency sign; below 100,000,000,000)",
  timestamp: 'is not a date and time (set files.orderLines.dateFormat, e.g. "%d/%m/%Y %H:%M")',
  status: "is not a known order status (map it in files.orderLines.statuses)",
};

/** Unmapped columns that look personal are not landed (they would reach no mart, but would sit in the lake). */
const personalColumn =
  /e-?mail|phone|street|address|billing name|shipping name|customer name|(first|last|full)[ _]?name|(^|[^a-z])notes?([^a-z]|$)|company|employee|user[ _]?agent/i;

export interface MappedField {
  field: LineField;
  kind: Kind;
  /** The file's column(s), for messages. */
  label: string;
  columns: string[];
  /** Computed by a preset expression from several columns (not read as one value). */
  fromExpression: boolean;
  raw: string;
  typed: string;
}

export interface LineMapping {
  fields: Map<LineField, MappedField>;
  /** `null::<type> as <field>` for each canonical field the file does not map (not stored in the lines table). */
  absent: string[];
  /** Unmapped columns, landed as drift under `as` (prefixed file_ where a name is taken). */
  drift: { name: string; as: string; type: string }[];
  droppedPersonal: string[];
  /** The typed canonical lines with drift columns, `__duckmart_file`, and `__bad`/`__bad_value` per line. */
  sql: string;
  /**
   * CSV only: the same lines from one typed read (number and date columns typed by the CSV reader), with
   * `__bad_value` null. It gives the same lines as `sql` when it succeeds and finds no bad line; a value that does not
   * convert makes it fail, and a bad line makes it insufficient (then `sql`, which reads every column as text,
   * names the bad lines and their values).
   */
  typedCsvSql?: string;
  problem(field: LineField, kind: CheckKind): string;
}

/** Names the landed lines and order items use themselves. */
const reserved = new Set<string>([
  ...lineFields,
  "order_item_id",
  "order_number",
  "line_number",
  "line_index",
  "product_title",
  "line_total",
  "discounted_line_total",
  "discount_percentage",
  // Derived money of the priced lines (derive-entities.ts).
  "gross_amount",
  "discount_value",
  "net_amount",
]);

const required: LineField[] = ["order_id", "ordered_at", "product_id", "quantity"];

/** Map the file's columns to canonical fields (config columns over the preset's), typed, with a bad-line check. */
export function mapLines(input: FileInput, settings: OrderLinesConfig): LineMapping {
  const present = new Set(input.columns.map((c) => c.name));
  const preset = settings.preset ? presets[settings.preset] : undefined;
  const types = new Map(input.columns.map((c) => [c.name, c.type]));
  const text = (column: string) => trimmedText(column, types.get(column) ?? "VARCHAR");
  const used = new Set<string>();
  const fields = new Map<LineField, MappedField>();
  for (const field of lineFields) {
    const kind = kinds[field] ?? "text";
    const configured = settings.columns[field];
    let columns: string[] = [];
    let raw: string | undefined;
    let fromExpression = false;
    if (configured) {
      columns = Array.isArray(configured) ? configured : [configured];
      const missing = columns.filter((c) => !present.has(c));
      if (missing.length)
        throw new DuckmartError(
          `files.orderLines.columns.${field}: column ${missing.map((c) => `"${c}"`).join(", ")} is not in ${input.files[0]}`,
          { hint: `Its columns are: ${[...present].join(", ")}.`, exitCode: 2 },
        );
    } else if (preset?.expressions?.[field] && preset.expressions[field].columns.some((c) => present.has(c))) {
      fromExpression = true;
      const expression = preset.expressions[field];
      columns = expression.columns.filter((c) => present.has(c));
      raw = expression.sql((c) => (present.has(c) ? text(c) : "null::varchar"));
    } else if (preset?.columns[field]) {
      columns = preset.columns[field].filter((c) => present.has(c));
      if (!columns.length && required.includes(field))
        throw new DuckmartError(
          `files.orderLines.preset "${preset.name}": the file has none of the columns ${preset.columns[field].map((c) => `"${c}"`).join(", ")} (for ${field})`,
          { hint: `Map ${field} yourself in files.orderLines.columns.${field}.`, exitCode: 2 },
        );
    }
    if (!columns.length) continue;
    refuseDuplicated(
      input,
      field,
      columns,
      configured ? `files.orderLines.columns.${field}` : `files.orderLines.preset "${preset!.name}"`,
    );
    columns.forEach((c) => used.add(c));
    raw ??= columns.length === 1 ? text(columns[0]!) : `coalesce(${columns.map(text).join(", ")})`;
    fields.set(field, {
      field,
      kind,
      label: columns.map((c) => `"${c}"`).join("/"),
      columns,
      fromExpression,
      raw,
      typed: typedSql(field, kind, columns),
    });
  }
  if (!["line_net_amount", "line_gross_amount", "unit_price"].some((f) => fields.has(f as LineField)))
    throw new DuckmartError(`files.orderLines.columns: no money column found in ${input.files[0]}`, {
      hint: "Map one of line_net_amount, line_gross_amount or unit_price.",
      exitCode: 2,
    });
  const unmapped = input.columns.filter((c) => !used.has(c.name));
  const droppedPersonal = unmapped.filter((c) => personalColumn.test(c.name)).map((c) => c.name);
  const drift = unmapped
    .filter((c) => !personalColumn.test(c.name))
    .map((c) => ({ ...c, as: reserved.has(c.name) || c.name.startsWith("__") ? `file_${c.name}` : c.name }));

  function typedSql(field: LineField, kind: Kind, columns: string[]): string {
    const raw = quoteIdent(`__raw_${field}`);
    switch (kind) {
      case "int":
        // A cast to bigint rounds ("2.5" becomes 3): only a whole number converts, else the line is bad.
        return `case when try_cast(${raw} as double) % 1 = 0 then try_cast(${raw} as bigint) end`;
      case "money":
        // A float column (Parquet, JSON numbers) carries binary noise (0.30000000000000004): it rounds to six
        // decimals. Text must convert exactly: a seventh decimal is refused, not rounded away.
        return columns.some((c) => /^(DOUBLE|FLOAT|REAL)$/.test(types.get(c) ?? ""))
          ? `try_cast(${raw} as ${moneyType})`
          : exactMoneySql(raw);
      case "timestamp":
        return settings.dateFormat
          ? `try_strptime(${raw}, ${quoteLiteral(settings.dateFormat)})::timestamp`
          : `coalesce(try_cast(${raw} as timestamp), try_cast(regexp_replace(${raw}, '\\s*([+-]\\d\\d:?\\d\\d|Z|UTC)$', '') as timestamp))`;
      case "status": {
        const words = { ...defaultStatuses, ...lowerKeys(settings.statuses) };
        const cases = Object.entries(words).map(([w, s]) => `when ${quoteLiteral(w)} then ${quoteLiteral(s)}`);
        return `case lower(${raw}) ${cases.join(" ")} end`;
      }
      default:
        if (field === "customer_email") return `lower(${raw})`;
        if (field === "currency") return `upper(${raw})`;
        if (field === "postal_code") return `ltrim(${raw}, '''')`;
        return raw;
    }
  }

  const mapped = [...fields.values()];
  // The lines table stores the mapped fields only (10M lines of typed nulls cost gigabytes uncompressed);
  // file_lines adds the others as typed nulls.
  const canonical = mapped.map((f) => `${f.typed} as ${quoteIdent(f.field)}`);
  const absent = lineFields
    .filter((field) => !fields.has(field))
    .map((field) => `null::${sqlTypes[kinds[field] ?? "text"]} as ${quoteIdent(field)}`);
  const shared = {
    canonical,
    files: input.files,
    drift,
    required: required.filter((f) => fields.has(f)),
    money: mapped
      .filter((f) => ["line_net_amount", "line_gross_amount", "unit_price"].includes(f.field))
      .map((f) => f.field),
    amounts: mapped.filter((f) => f.kind === "money").map((f) => f.field),
  };
  const sql = linesSql({
    ...shared,
    fields: mapped.map((f) => ({ field: f.field, raw: f.raw, typed: f.typed, checked: f.kind !== "text" })),
    relation: input.relation,
    withValues: true,
  });
  const typedCsvSql =
    input.format === "csv"
      ? typedCsvLinesSql(input, mapped, { ...shared, dateFormat: settings.dateFormat })
      : undefined;
  return {
    fields,
    absent,
    drift,
    droppedPersonal,
    sql,
    typedCsvSql,
    problem: (field, kind) =>
      kind === "missing"
        ? `is empty, but ${field} is required on every line`
        : kind === "negative"
          ? "is negative on a line with a positive quantity (a return is a line with a negative quantity)"
          : kind === "above_gross"
            ? `is above the line's gross (${grossLabel(fields)}): the net amount is after discount, so it cannot exceed the gross`
            : kind === "range"
              ? "is too large: a line's amounts (and unit price x quantity) stay below 100,000,000,000"
              : problems[fields.get(field)!.kind],
  };
}

/** A mapped column whose name the header gives twice: which one is meant cannot be told, so nothing lands. */
function refuseDuplicated(input: FileInput, field: LineField, columns: string[], key: string): void {
  const duplicate = input.duplicates.find((d) => d.readAs.some((name) => columns.includes(name)));
  if (duplicate)
    throw new DuckmartError(`${key}: ${describeDuplicate(duplicate)}, so ${field} cannot be read; nothing was landed`, {
      hint: `Rename the columns in the file's header so each name is unique (e.g. "${duplicate.name} 2"), then map ${field} to the one that holds it. The previous snapshot stays current.`,
      exitCode: 2,
    });
}

/** The columns a line's gross comes from, for messages: "Gross", or "Unit Price" x "Qty". */
function grossLabel(fields: Map<LineField, MappedField>): string {
  const price = fields.get("unit_price");
  const perUnit = price ? `${price.label} x ${fields.get("quantity")?.label ?? "quantity"}` : undefined;
  return [fields.get("line_gross_amount")?.label, perUnit].filter(Boolean).join(", else ");
}

function lowerKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}
