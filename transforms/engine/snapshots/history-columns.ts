import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, quoteIdent } from "../../../cli/core/duckdb.ts";

export interface AddedColumn {
  name: string;
  type: string;
}

/**
 * Columns the snapshot's SQL selects that a history written before it did not keep (products_snapshot's
 * product_key, say, or a history restored from the warehouse without a PII column).
 */
export async function addedColumns(
  connection: DuckDBConnection,
  history: string,
  source: string,
): Promise<AddedColumn[]> {
  const describe = (relation: string) => queryRows(connection, `describe select * from ${relation}`);
  const kept = new Set((await describe(history)).map((r) => String(r["column_name"])));
  return (await describe(source))
    .map((r) => ({ name: String(r["column_name"]), type: String(r["column_type"]) }))
    .filter((c) => !kept.has(c.name));
}

/** The history with the added columns as typed nulls: old versions did not record them. */
export function withAddedColumns(history: string, added: AddedColumn[]): string {
  if (!added.length) return history;
  return `(select *, ${added.map((c) => `null::${c.type} as ${quoteIdent(c.name)}`).join(", ")} from ${history})`;
}

/**
 * After the first day applied with the added columns: the versions still open and in that day's source take the
 * values the source gives them (as first seen), so a record unchanged since the upgrade does not carry nulls on.
 * Closed versions and those of records that had already left keep nulls.
 */
export function fillOpenVersionsSql(
  history: string,
  source: string,
  key: string,
  added: AddedColumn[],
  day: string,
): string {
  const k = quoteIdent(key);
  const sets = added.map((c) => `${quoteIdent(c.name)} = src.${quoteIdent(c.name)}`).join(", ");
  return `update ${history} set ${sets} from ${source} as src
    where ${history}.${k} = src.${k} and ${history}.valid_to is null and not ${history}.is_deleted
        and ${history}.valid_from < date '${day}'`;
}
