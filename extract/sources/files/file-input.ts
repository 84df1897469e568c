import { stat } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, quoteLiteral } from "../../../cli/core/duckdb.ts";
import { DuckmartError } from "../../../cli/core/errors.ts";
import type { OrderLinesConfig } from "../../../cli/core/files-config-schema.ts";
import { csvHeader, raggedRecords } from "./csv-records.ts";
import { duplicateColumns, type DuplicateColumn } from "./duplicate-columns.ts";

export type FileFormat = "csv" | "parquet" | "json";

export interface FileInput {
  files: string[];
  format: FileFormat;
  /** A relation over every file, with the file's own columns plus `fileColumn` (CSV: every column as text). */
  relation: string;
  /** The same files read with other reader options, e.g. CSV column types: `types = {...}`. */
  read(options: string): string;
  columns: { name: string; type: string }[];
  /** CSV: the types DuckDB's sniffer finds for the columns (a sample; the typed read checks every line). */
  sniffed?: Map<string, string>;
  /** CSV: header names given to two or more columns (DuckDB reads the second "Net" as "Net_1"). */
  duplicates: DuplicateColumn[];
}

/** The column that names each line's file (DuckDB's `filename` option, under a name no export uses). */
export const fileColumn = "__duckmart_file";

const extensions: Record<string, FileFormat> = {
  ".csv": "csv",
  ".tsv": "csv",
  ".txt": "csv",
  ".parquet": "parquet",
  ".pq": "parquet",
  ".json": "json",
  ".ndjson": "json",
  ".jsonl": "json",
};

/** Resolve the configured file or glob and open it with DuckDB's own reader (CSV sniffer, Parquet, JSON). */
export async function openInput(
  connection: DuckDBConnection,
  settings: OrderLinesConfig,
  cwd = process.cwd(),
): Promise<FileInput> {
  const pattern = resolve(cwd, settings.path);
  const files = (await queryRows(connection, `select file from glob($1) order by file`, [pattern])).map((r) =>
    String(r["file"]),
  );
  if (!files.length)
    throw new DuckmartError(`files.orderLines.path: "${settings.path}" matched no file (looked for ${pattern})`, {
      hint: "Point files.orderLines.path in duckmart.config.ts (or DUCKMART_FILES_PATH) at your export.",
      exitCode: 2,
    });
  for (const file of files)
    if ((await stat(file)).size === 0)
      throw new DuckmartError(`files: ${basename(file)} is empty (0 bytes); nothing was landed`, {
        hint: `The export was cut short or not written yet (${file}). Export it again; the previous snapshot stays current.`,
        exitCode: 1,
      });
  const format = settings.format === "auto" ? formatOf(files[0]!) : settings.format;
  const list = `[${files.map(quoteLiteral).join(", ")}]`;
  const options = `union_by_name = true, filename = ${quoteLiteral(fileColumn)}`;
  const read = (extra: string) =>
    format === "csv"
      ? // No comment marker and no skipped lines: the sniffer took "#" for one (Shopify's "#1001" order names) and
        // dropped those lines without a word.
        `read_csv(${list}, header = true, comment = '', skip = 0, ${extra}, ${options})`
      : format === "parquet"
        ? `read_parquet(${list}, ${extra ? `${extra}, ` : ""}${options})`
        : `read_json(${list}, format = 'auto', ${extra ? `${extra}, ` : ""}${options})`;
  const relation = format === "csv" ? read("all_varchar = true") : read("");
  let columns: { name: string; type: string }[];
  try {
    columns = (await queryRows(connection, `describe select * from ${relation}`)).map((r) => ({
      name: String(r["column_name"]),
      type: String(r["column_type"]),
    }));
  } catch (cause) {
    throw new DuckmartError(`files: could not read ${files[0]} as ${format}: ${(cause as Error).message}`, {
      cause,
      hint: 'Check the file, or set files.orderLines.format ("csv", "parquet" or "json").',
      exitCode: 2,
    });
  }
  if (format === "csv") await refuseRaggedFiles(files, columns);
  const sniffed =
    format === "csv"
      ? new Map(
          (await queryRows(connection, `describe select * from ${read("auto_detect = true")}`)).map((r) => [
            String(r["column_name"]),
            String(r["column_type"]),
          ]),
        )
      : undefined;
  return {
    files,
    format,
    relation,
    read,
    columns: columns.filter((c) => c.name !== fileColumn),
    duplicates: format === "csv" ? await duplicateColumns(connection, files) : [],
    ...(sniffed ? { sniffed } : {}),
  };
}

function formatOf(file: string): FileFormat {
  const format = extensions[extname(file).toLowerCase()];
  if (!format)
    throw new DuckmartError(`files.orderLines.format: cannot tell the format of ${file} from its extension`, {
      hint: 'Set files.orderLines.format to "csv", "parquet" or "json".',
      exitCode: 2,
    });
  return format;
}

/**
 * A CSV line with more or fewer fields than its header throws DuckDB's sniffer off (one column named like the
 * whole header, or a data line taken for the header): when the columns found do not match a file's header, find
 * those lines (the first five, and how many) and say so, instead of a mapping error that lists the very column it
 * calls missing. Quarantine cannot take such a line: which value belongs to which column cannot be told.
 */
async function refuseRaggedFiles(files: string[], columns: { name: string }[]): Promise<void> {
  const found = new Set(columns.map((c) => c.name));
  for (const file of files) {
    const header = await csvHeader(file);
    if (header.fields.length < 2 || header.fields.every((f) => !f || found.has(f))) continue;
    const { first, count } = await raggedRecords(file, header.delimiter, header.fields.length);
    if (!count) continue;
    const expected = header.fields.length;
    const lines = first.map((r) => `line ${r.line} (${r.fields} fields)`).join(", ");
    throw new DuckmartError(
      count === 1
        ? `files: ${basename(file)} line ${first[0]!.line} has ${first[0]!.fields} fields where its header has ${expected}; nothing was landed`
        : `files: ${basename(file)} has ${count} lines whose number of fields is not its header's ${expected}: ${lines}${count > first.length ? ", ..." : ""}; nothing was landed`,
      {
        hint: `A value holding the delimiter (${JSON.stringify(header.delimiter)}) must be quoted, and every line needs one field per column. Fix ${count === 1 ? "that line" : "those lines"}; the previous snapshot stays current. onBadRows: "quarantine" cannot set such a line aside: which value belongs to which column cannot be told.`,
        exitCode: 1,
      },
    );
  }
}
