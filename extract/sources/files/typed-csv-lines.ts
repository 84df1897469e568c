import { quoteIdent, quoteLiteral } from "../../../cli/core/duckdb.ts";
import type { LineField } from "../../../cli/core/files-config-schema.ts";
import type { FileInput } from "./file-input.ts";
import { exactMoneySql, linesSql, wideMoneyType, type LinesShared } from "./lines-sql.ts";

/** What the typed read needs of a mapped field (see MappedField in line-mapping.ts). */
interface Mapped {
  field: LineField;
  kind: string;
  columns: string[];
  fromExpression: boolean;
  raw: string;
  typed: string;
}

/**
 * The type the CSV reader gives a column read only as this kind of field. Whole numbers are read as DOUBLE, not
 * BIGINT: the reader, like a cast, rounds "2.5" to 3 where a quantity must be refused, so the line checks it.
 * Dates are typed by the reader where the sniffer found ISO timestamps (or the configured dateFormat reads
 * them): a value the reader cannot convert fails the read, and the text read takes over.
 */
function readerType(kind: string, sniffed: string | undefined, dateFormat: string | undefined): string | undefined {
  if (kind === "money") return wideMoneyType;
  if (kind === "int") return "DOUBLE";
  if (kind === "timestamp" && (dateFormat || sniffed === "TIMESTAMP" || sniffed === "DATE")) return "TIMESTAMP";
  return undefined;
}

/**
 * The lines of a CSV from one typed read: number and date columns are typed by DuckDB's reader (a value that
 * does not convert fails the read), and such a field's typed value stands in for its text. Every other column
 * is read as text and checked as in the text read, so both give the same lines when this one succeeds.
 */
export function typedCsvLinesSql(
  input: FileInput,
  mapped: Mapped[],
  shared: LinesShared & { dateFormat?: string | undefined },
): string {
  const types = columnTypes(input, mapped, shared.dateFormat);
  const byReader = (f: Mapped) => f.columns.length > 0 && f.columns.every((c) => types.has(c));
  const rawOf = (field: LineField) => quoteIdent(`__raw_${field}`);
  const fields = mapped.map((f) => {
    if (!byReader(f)) return { field: f.field, raw: f.raw, typed: f.typed, checked: f.kind !== "text" };
    const raw =
      f.columns.length === 1 ? quoteIdent(f.columns[0]!) : `coalesce(${f.columns.map(quoteIdent).join(", ")})`;
    // A whole number converts; 2.5 (or one too large for BIGINT) leaves the field null, and the line is bad.
    const typed =
      f.kind === "int"
        ? `case when ${rawOf(f.field)} % 1 = 0 then try_cast(${rawOf(f.field)} as bigint) end`
        : f.kind === "money"
          ? exactMoneySql(rawOf(f.field))
          : rawOf(f.field);
    return { field: f.field, raw, typed, checked: f.kind === "int" || f.kind === "money" };
  });
  const canonical = fields.map((f) => `${f.typed} as ${quoteIdent(f.field)}`);
  const list = input.columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(types.get(c.name) ?? "VARCHAR")}`);
  const format = shared.dateFormat ? `, timestampformat = ${quoteLiteral(shared.dateFormat)}` : "";
  return linesSql({
    ...shared,
    canonical,
    fields,
    relation: input.read(`types = {${list.join(", ")}}${format}`),
    withValues: false,
  });
}

/**
 * The CSV columns the reader may type itself: those read as one kind only (not by a preset expression, not
 * also as text). Every other column is read as text, as in the checked read.
 */
function columnTypes(input: FileInput, mapped: Mapped[], dateFormat: string | undefined): Map<string, string> {
  const uses = new Map<string, Set<string>>();
  for (const f of mapped)
    for (const c of f.columns) {
      const type = f.fromExpression ? undefined : readerType(f.kind, input.sniffed?.get(c), dateFormat);
      uses.set(c, (uses.get(c) ?? new Set()).add(type ?? "text"));
    }
  const typed = new Map<string, string>();
  for (const [column, kinds] of uses) {
    const [type] = [...kinds];
    if (kinds.size === 1 && type !== "text") typed.set(column, type!);
  }
  return typed;
}
