import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, quoteIdent, quoteLiteral, type Row } from "../../cli/core/duckdb.ts";
import { martNodes, type Catalog } from "../../cli/core/contracts/catalog.ts";
import { redactDeep } from "../../cli/core/redact.ts";

export type Query = (sql: string) => Promise<Row[]>;

/** Every mart as a view over its Parquet in `buildDir/marts`, and the as-of date as a variable; returns the views. */
export async function openMarts(
  connection: DuckDBConnection,
  buildDir: string,
  catalog: Catalog,
): Promise<Set<string>> {
  const views = new Set<string>();
  for (const node of martNodes(catalog)) {
    const path = join(buildDir, "marts", `${node.name}.parquet`);
    if (!existsSync(path)) continue;
    await connection.run(`create view ${quoteIdent(node.name)} as select * from read_parquet(${quoteLiteral(path)})`);
    views.add(node.name);
  }
  await connection.run(`set variable as_of = $1::date`, [catalog.asOf]);
  return views;
}

export const queryOn =
  (connection: DuckDBConnection): Query =>
  (sql) =>
    queryRows(connection, sql);

/** The privacy guard: columns tagged pii anywhere in the catalog, by name. */
export function piiColumns(catalog: Catalog): Map<string, string> {
  const out = new Map<string, string>();
  for (const node of catalog.nodes) for (const c of node.columns) if (c.pii) out.set(c.name, `${node.name}.${c.name}`);
  return out;
}

/** Fail the build when a site file would publish a column tagged pii (any key, at any depth, of `value`). */
export function assertNoPii(file: string, value: unknown, pii: Map<string, string>): void {
  const seen = new Set<string>();
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object" && !(v instanceof Date)) {
      for (const [key, child] of Object.entries(v)) {
        if (pii.has(key)) seen.add(key);
        visit(child);
      }
    }
  };
  visit(value);
  if (seen.size) {
    const names = [...seen].map((k) => `${k} (${pii.get(k)})`).join(", ");
    throw new Error(
      `Privacy guard: site file ${file} outputs column(s) tagged pii in the catalog: ${names}. Remove them or publish a masked column instead.`,
    );
  }
}

/** JSON for a site file: numbers rounded to cents, bigints as numbers. */
export function siteJson(value: unknown): string {
  // The site is public: every string goes through the redaction.
  const text = JSON.stringify(redactDeep(value), (_k, v: unknown) =>
    typeof v === "bigint" ? Number(v) : typeof v === "number" && !Number.isInteger(v) ? Math.round(v * 100) / 100 : v,
  );
  return text;
}
