import type { DuckDBConnection } from "@duckdb/node-api";
import { DuckmartError } from "../../cli/core/errors.ts";

/**
 * The tables a SQL statement reads, from DuckDB's own parser (`json_serialize_sql`): every BASE_TABLE
 * reference that is not one of the statement's CTEs.
 */
export async function referencedTables(connection: DuckDBConnection, sql: string, model: string): Promise<string[]> {
  const reader = await connection.runAndReadAll("select json_serialize_sql($1::varchar) as ast", [
    sql.trim().replace(/;\s*$/, ""),
  ]);
  const ast = JSON.parse(String(reader.getRows()[0]?.[0])) as {
    error: boolean;
    error_message?: string;
    statements?: unknown[];
  };
  if (ast.error)
    throw new DuckmartError(`Model "${model}" does not parse: ${ast.error_message}`, {
      hint: "Fix the SQL; models are a single DuckDB SELECT.",
    });
  if (ast.statements?.length !== 1)
    throw new DuckmartError(`Model "${model}" must be exactly one SELECT statement`, {
      hint: "Split it into several models.",
    });
  const tables = new Set<string>();
  const ctes = new Set<string>();
  walk(ast.statements[0], (node) => {
    if (node["type"] === "BASE_TABLE" && typeof node["table_name"] === "string") tables.add(node["table_name"]);
    const cteMap = node["cte_map"] as { map?: { key: string }[] } | undefined;
    for (const entry of cteMap?.map ?? []) ctes.add(entry.key);
  });
  return [...tables].filter((t) => !ctes.has(t)).sort();
}

function walk(node: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) for (const child of node) walk(child, visit);
  else if (node && typeof node === "object") {
    visit(node as Record<string, unknown>);
    for (const child of Object.values(node)) walk(child, visit);
  }
}
