import { quoteIdent, quoteLiteral } from "../../../cli/core/duckdb.ts";
import { lineFields, type LineField } from "../../../cli/core/files-config-schema.ts";
import type { FileInput } from "./file-input.ts";
import { linesSql, moneyType, type LinesShared } from "./lines-sql.ts";

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
 * Columns the CSV reader may type itself. Not whole numbers: the reader, like a cast, rounds "2.5" to 3 where a
 * quantity must be refused, so they go through the checked text conversion.
 */
const readerTypes: Record<string, string> = { money: moneyType };

/**
 * The lines of a CSV from one typed read: money columns are typed by DuckDB's reader (a value
 * that does not convert fails the read), and such a field's typed value stands in for its text. Every other
 * column is read as text and checked as in the text read, so both give the same lines when this one succeeds.
 */
export function typedCsvLinesSql(input: FileInput, mapped: Mapped[], shared: LinesShared): string {
  const types = columnTypes(mapped);
  const byReader = (f: Mapped) => f.columns.length > 0 && f.columns.every((c) => types.has(c));
  const fields = mapped.map((f) =>
    byReader(f)
      ? {
          field: f.field,
          raw: f.columns.length === 1 ? quoteIdent(f.columns[0]!) : `coalesce(${f.columns.map(quoteIdent).join(", ")})`,
          typed: quoteIdent(`__raw_${f.field}`),
          checked: false,
        }
      : { field: f.field, raw: f.raw, typed: f.typed, checked: f.kind !== "text" },
  );
  const canonical = lineFields.map((field, i) => {
    const f = mapped.find((m) => m.field === field);
    return f && byReader(f) ? `${quoteIdent(`__raw_${field}`)} as ${quoteIdent(field)}` : shared.canonical[i]!;
  });
  const list = input.columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(types.get(c.name) ?? "VARCHAR")}`);
  return linesSql({ ...shared, canonical, fields, relation: input.read(`types = {${list.join(", ")}}`) });
}

/**
 * The CSV columns the reader may type itself: those read only as money (not by a
 * preset expression, not also as text). Every other column is read as text, as in the checked read.
 */
function columnTypes(mapped: Mapped[]): Map<string, string> {
  const uses = new Map<string, Set<string>>();
  for (const f of mapped)
    for (const c of f.columns)
      uses.set(c, (uses.get(c) ?? new Set()).add(f.fromExpression ? "expression" : (readerTypes[f.kind] ?? "text")));
  const typed = new Map<string, string>();
  for (const [column, kinds] of uses) {
    const [type] = [...kinds];
    if (kinds.size === 1 && type === moneyType) typed.set(column, type);
  }
  return typed;
}
