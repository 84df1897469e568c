import { readFile } from "node:fs/promises";
import { basename, relative } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { MacroDoc } from "./model-schema.ts";

/** A DuckDB macro the models share: transforms/macros/<name>.sql and its yml `macros:` entry. */
export interface Macro {
  name: string;
  sql: string;
  path: string;
  doc: MacroDoc;
}

const header = /^\s*create\s+or\s+replace\s+macro\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s+as\s/i;

/** transforms/macros/*.sql, each one `create or replace macro <file name>(...)`, each documented in a yml. */
export async function loadMacros(
  dir: string,
  files: string[],
  docs: Map<string, MacroDoc>,
): Promise<Map<string, Macro>> {
  const macros = new Map<string, Macro>();
  for (const file of files.filter((f) => f.endsWith(".sql") && relative(dir, f).split(/[\\/]/)[0] === "macros")) {
    const name = basename(file, ".sql");
    const where = relative(dir, file);
    const sql = stripComments(await readFile(file, "utf8"))
      .trim()
      .replace(/;\s*$/, "");
    const match = header.exec(sql);
    if (!match || match[1] !== name || sql.includes(";"))
      throw new DuckmartError(`${where} must be one "create or replace macro ${name}(...) as ..." statement`, {
        hint: "One macro per file, named like the file; scalar (as <expression>) or table (as table select ...).",
      });
    const doc = docs.get(name);
    if (!doc)
      throw new DuckmartError(`Macro ${where} has no yml entry`, {
        hint: `Document it under "macros:" in a yml beside it: name, description and its arguments.`,
      });
    const parameters = match[2]!
      .split(",")
      .map((p) => p.trim().split(/\s|:=/)[0]!)
      .filter(Boolean);
    const documented = doc.arguments.map((a) => a.name);
    if (parameters.join() !== documented.join())
      throw new DuckmartError(
        `Macro ${name} takes (${parameters.join(", ")}) but its yml documents (${documented.join(", ")})`,
        { hint: `Document every argument of ${where}, in order.` },
      );
    macros.set(name, { name, sql, path: file, doc });
  }
  for (const name of docs.keys())
    if (!macros.has(name))
      throw new DuckmartError(`The yml documents a macro "${name}" that has no SQL file`, {
        hint: `Add transforms/macros/${name}.sql or remove the entry.`,
      });
  return macros;
}

/** Create the macros in this session, before any model or snapshot runs. An error names the file. */
export async function defineMacros(connection: DuckDBConnection, macros: Map<string, Macro>): Promise<void> {
  for (const macro of macros.values()) {
    try {
      await connection.run(macro.sql);
    } catch (cause) {
      throw new DuckmartError(`Macro ${macro.name} (${macro.path}) failed: ${(cause as Error).message}`, {
        cause,
        hint: "Fix the macro's SQL.",
      });
    }
  }
}

/** The names of the macros a SQL text calls, for the catalog and the lineage. */
export function macrosCalled(sql: string, macros: Map<string, Macro>): string[] {
  const body = stripComments(sql);
  return [...macros.keys()].filter((name) => new RegExp(`\\b${name}\\s*\\(`, "i").test(body)).sort();
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
}
