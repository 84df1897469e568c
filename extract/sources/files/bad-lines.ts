import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows } from "../../../cli/core/duckdb.ts";
import type { LineField } from "../../../cli/core/files-config-schema.ts";
import { fileColumn, type FileFormat } from "./file-input.ts";
import type { LineMapping } from "./line-mapping.ts";
import { csvRecords } from "./csv-records.ts";
import { linesTable, type CheckKind } from "./lines-sql.ts";

export interface BadLine {
  file: string;
  /** Where the line is: "line 7" (CSV, NDJSON: the file's own line number) or "row 7" (Parquet, JSON arrays). */
  where: string;
  field: LineField;
  /** The file's column(s) for messages: `"Order Date"` (quoted; `"Net"/"Gross"` for several). */
  column: string;
  /** The same as stored: the plain name(s), comma-separated for several. */
  columnNames: string;
  value: string | null;
  problem: string;
}

/**
 * The first bad lines of the typed lines table, written in file order: the record number in its file comes
 * from the row order, and for CSV the physical line is found by reading the file (quoted newlines count).
 */
export async function findBadLines(
  connection: DuckDBConnection,
  options: { format: FileFormat; mapping: LineMapping; limit?: number },
): Promise<BadLine[]> {
  const rows = await queryRows(
    connection,
    `select cast(${fileColumn} as varchar) as file, record, cast(__bad as varchar) as bad, __bad_value as value
    from (
        select ${fileColumn}, __bad, __bad_value,
            line_index - min(line_index) over (partition by ${fileColumn}) + 1 as record,
        from ${linesTable}
    )
    where __bad is not null
    order by file, record
    ${options.limit ? `limit ${options.limit}` : ""}`,
  );
  const lines: BadLine[] = [];
  const byFile = new Map<string, number[]>();
  for (const row of rows)
    byFile.set(String(row["file"]), [...(byFile.get(String(row["file"])) ?? []), Number(row["record"])]);
  const places = new Map<string, string>();
  for (const [file, records] of byFile) {
    const found =
      options.format === "csv"
        ? (await csvLinesOf(file, records)).map((line) => `line ${line}`)
        : options.format === "json" && !(await startsWithArray(file))
          ? records.map((r) => `line ${r}`)
          : records.map((r) => `row ${r}`);
    records.forEach((record, i) => places.set(`${file}\u0000${record}`, found[i]!));
  }
  for (const row of rows) {
    const file = String(row["file"]);
    const [field, kind] = String(row["bad"]).split(":") as [LineField, CheckKind];
    lines.push({
      file,
      where: places.get(`${file}\u0000${Number(row["record"])}`)!,
      field,
      column: options.mapping.fields.get(field)?.label ?? field,
      columnNames: options.mapping.fields.get(field)?.columns.join(", ") ?? field,
      value: row["value"] === null || row["value"] === undefined ? null : String(row["value"]),
      problem: options.mapping.problem(field, kind),
    });
  }
  return lines;
}

export function describeBadLine(bad: BadLine): string {
  const value = bad.value === null ? "" : ` ${JSON.stringify(bad.value)}`;
  return `${basename(bad.file)} ${bad.where}, column ${bad.column} (${bad.field}):${value} ${bad.problem}`;
}

/** The 1-based physical lines where CSV records (sorted; 1 = the first after the header) start; quoted newlines count. */
async function csvLinesOf(file: string, records: number[]): Promise<number[]> {
  const lines: number[] = [];
  for await (const r of csvRecords(file)) {
    if (r.record !== records[lines.length]) continue;
    lines.push(r.line);
    if (lines.length === records.length) break;
  }
  return lines;
}

async function startsWithArray(file: string): Promise<boolean> {
  for await (const chunk of createReadStream(file, { encoding: "utf8", start: 0, end: 256 }))
    return (chunk as string).trimStart().startsWith("[");
  return false;
}
