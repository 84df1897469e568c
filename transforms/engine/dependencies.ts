import type { DuckDBConnection } from "@duckdb/node-api";
import { DuckmartError } from "../../cli/core/errors.ts";

/**
 * The tables a SQL statement reads, from DuckDB's own parser (`json_serialize_sql`): every BASE_TABLE
 * reference that does not resolve to a CTE in scope. CTE scoping follows SQL: a CTE is visible to the
 * CTEs defined after it and to the body of its WITH, never to itself unless recursive, and never outside
 * its WITH. So `currencies as (select * from currencies)` reads the table `currencies`.
 */
export async function referencedTables(connection: DuckDBConnection, sql: string, model: string): Promise<string[]> {
  const statement = sql.trim().replace(/;\s*$/, "");
  const known = parsed.get(statement);
  if (known) return [...known];
  const reader = await connection.runAndReadAll("select json_serialize_sql($1::varchar) as ast", [statement]);
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
  collect(ast.statements[0], new Set(), tables);
  const sorted = [...tables].sort();
  parsed.set(statement, sorted);
  return [...sorted];
}

/**
 * What each statement reads, by its text: the answer depends on the text alone, and one process builds the same
 * models more than once (a build then its tests in attach mode, the test suite). Only successful parses are kept.
 */
const parsed = new Map<string, readonly string[]>();

type AstNode = Record<string, unknown>;

function collect(node: unknown, scope: ReadonlySet<string>, tables: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collect(child, scope, tables);
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as AstNode;
  if (n["type"] === "BASE_TABLE" && typeof n["table_name"] === "string") {
    const qualified = Boolean(n["schema_name"]) || Boolean(n["catalog_name"]);
    if (qualified || !scope.has(n["table_name"].toLowerCase())) tables.add(n["table_name"]);
    return;
  }
  let inner = scope;
  const cteMap = n["cte_map"] as { map?: { key: string; value: unknown }[] } | undefined;
  for (const entry of cteMap?.map ?? []) {
    // The body sees the CTEs before it (and, when recursive, itself: see RECURSIVE_CTE_NODE below).
    collect(entry.value, inner, tables);
    inner = new Set([...inner, entry.key.toLowerCase()]);
  }
  if (n["type"] === "RECURSIVE_CTE_NODE" && typeof n["cte_name"] === "string")
    inner = new Set([...inner, n["cte_name"].toLowerCase()]);
  for (const [key, child] of Object.entries(n)) if (key !== "cte_map") collect(child, inner, tables);
}
