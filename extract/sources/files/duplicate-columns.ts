import { basename } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, quoteLiteral } from "../../../cli/core/duckdb.ts";
import { csvHeader } from "./csv-records.ts";

/** A name the header of a CSV file gives to two or more columns (compared case-insensitively, as DuckDB does). */
export interface DuplicateColumn {
  file: string;
  /** The name as the header writes it first. */
  name: string;
  /** The columns' positions in the header, from 1. */
  positions: number[];
  /** The names DuckDB's reader gives them (the first keeps the name; then "Net_1", "Net_2", ...). */
  readAs: string[];
}

/**
 * The duplicated header names of each CSV file. DuckDB reads a second "Net" as "Net_1", a name the file does not
 * have: a mapping must not take one of them silently, and drift must say which header column it is.
 */
export async function duplicateColumns(connection: DuckDBConnection, files: string[]): Promise<DuplicateColumn[]> {
  const found: DuplicateColumn[] = [];
  for (const file of files) {
    const { fields } = await csvHeader(file);
    const byName = new Map<string, number[]>();
    fields.forEach((f, i) => {
      if (f) byName.set(f.toLowerCase(), [...(byName.get(f.toLowerCase()) ?? []), i]);
    });
    const repeated = [...byName.values()].filter((positions) => positions.length > 1);
    if (!repeated.length) continue;
    // The file alone, read as the source reads it: its names are in header order.
    const names = (
      await queryRows(
        connection,
        `describe select * from read_csv(${quoteLiteral(file)}, header = true, comment = '', skip = 0, all_varchar = true)`,
      )
    ).map((r) => String(r["column_name"]));
    if (names.length !== fields.length) continue;
    for (const positions of repeated)
      found.push({
        file,
        name: fields[positions[0]!]!,
        positions: positions.map((i) => i + 1),
        readAs: positions.map((i) => names[i]!),
      });
  }
  return found;
}

/** "column "Net" is in the header of orders.csv twice (columns 13 and 14)" */
export function describeDuplicate(duplicate: DuplicateColumn): string {
  const count = duplicate.positions.length === 2 ? "twice" : `${duplicate.positions.length} times`;
  const positions = duplicate.positions.join(duplicate.positions.length === 2 ? " and " : ", ");
  return `column "${duplicate.name}" is in the header of ${basename(duplicate.file)} ${count} (columns ${positions})`;
}
