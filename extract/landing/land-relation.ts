import type { DuckDBConnection } from "@duckdb/node-api";
import { writeAtomically } from "../../cli/core/atomic.ts";
import { quoteIdent, quoteLiteral } from "../../cli/core/duckdb.ts";
import { castList, type ColumnSpec } from "../schemas/duckdb-types.ts";

export interface LandRelationOptions {
  /** Any DuckDB relation: a table name, a table function call, or a parenthesised query. */
  relation: string;
  columns: ColumnSpec[];
  orderBy?: string;
  /**
   * Keep the relation's own order instead of sorting (for relations that are already in key order, such
   * as rows generated from range() or unnested from a sorted Parquet): saves a sort of millions of rows.
   */
  preserveOrder?: boolean;
  target: string;
}

/** Write a relation to Parquet with the contract's column types, atomically (temp file, then rename). */
export async function landRelation(connection: DuckDBConnection, options: LandRelationOptions): Promise<void> {
  const order = options.orderBy ? `\norder by ${quoteIdent(options.orderBy)}` : "";
  await writeAtomically(options.target, async (temp) => {
    if (options.preserveOrder) await connection.run("set preserve_insertion_order = true");
    try {
      await connection.run(
        `copy (\n    select\n    ${castList(options.columns)}\n    from ${options.relation}${order}\n) to ${quoteLiteral(temp)} (format parquet, compression zstd, row_group_size 122880)`,
      );
    } finally {
      if (options.preserveOrder) await connection.run("set preserve_insertion_order = false");
    }
  });
}
