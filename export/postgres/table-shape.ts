import type pg from "pg";
import { quoteIdent, quoteLiteral } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { Logger } from "../../cli/core/logger.ts";
import { isNumericRescale, normalizePgType } from "./pg-types.ts";
import { readState, recordCreated, tableOid } from "./sync-state.ts";

export interface PgColumn {
  name: string;
  type: string;
}

export interface TableShape {
  schema: string;
  table: string;
  columns: PgColumn[];
  /** COMMENT ON TABLE / COLUMN (Metabase shows them). */
  comment: string;
  columnComments: Record<string, string>;
  /** Columns dropped in place when present (PII no longer published in clear): the table keeps its OID. */
  withdrawn?: string[];
}

export interface ShapeResult {
  oid: string;
  created: boolean;
  recreated: boolean;
  addedColumns: string[];
}

/**
 * Make the table match the mart without changing its identity: create it when missing, add new columns, give
 * numeric columns more decimals in place (isNumericRescale), and refuse (unless allowRecreate) when a column was dropped or retyped. Refuses tables duckmart did not create.
 */
export async function ensureTable(
  client: pg.PoolClient,
  shape: TableShape,
  options: { allowRecreate: boolean; logger: Logger },
): Promise<ShapeResult> {
  const { schema, table } = shape;
  const qualified = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const oid = await tableOid(client, schema, table);
  let recreated = false;
  if (oid) {
    const state = await readState(client, schema, table);
    if (!state || state.table_oid !== oid) {
      throw new DuckmartError(`Refusing to overwrite ${schema}.${table}: it exists but was not created by duckmart`, {
        hint: `Sync into another schema (--schema), or drop or rename ${schema}.${table} yourself if it is safe.`,
      });
    }
    const existing = await existingColumns(client, schema, table);
    for (const column of shape.withdrawn ?? []) {
      if (!existing.has(column)) continue;
      await client.query(`alter table ${qualified} drop column ${quoteIdent(column)}`);
      existing.delete(column);
      options.logger.warn(`Dropped ${schema}.${table}.${column}: PII is no longer published in clear (see the README)`);
    }
    const wanted = new Map(shape.columns.map((c) => [c.name, c.type]));
    const rescaled = [...existing].filter(([name, type]) => isNumericRescale(type, wanted.get(name) ?? type));
    const dropped = [...existing.keys()].filter((name) => !wanted.has(name));
    const retyped = [...existing]
      .filter(([name, type]) => wanted.has(name) && wanted.get(name) !== type && !rescaled.some(([n]) => n === name))
      .map(([name, type]) => `${name} (${type} -> ${wanted.get(name)})`);
    if (dropped.length || retyped.length) {
      const change = [
        dropped.length ? `dropped column(s) ${dropped.join(", ")}` : "",
        retyped.length ? `retyped column(s) ${retyped.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ");
      if (!options.allowRecreate) {
        throw new DuckmartError(`The schema of ${schema}.${table} changed: ${change}`, {
          hint: "duckmart only adds columns in place, so the table keeps its identity for Metabase. Restore the column in the model, or rerun with --allow-recreate to drop and recreate the table (Metabase questions on it must then be re-pointed).",
        });
      }
      options.logger.warn(
        `Recreating ${schema}.${table} (${change}). Metabase questions that use this table must be re-pointed to the new table.`,
      );
      await client.query(`drop table ${qualified}`);
      recreated = true;
    } else {
      for (const [name, type] of rescaled) {
        await rescaleColumn(client, shape, name, type, wanted.get(name)!);
        options.logger.info(`Altered ${schema}.${table}.${name} in place (${type} -> ${wanted.get(name)})`);
      }
      const added = shape.columns.filter((c) => !existing.has(c.name));
      for (const column of added) {
        await client.query(`alter table ${qualified} add column ${quoteIdent(column.name)} ${column.type}`);
        options.logger.info(`Added column ${schema}.${table}.${column.name} (${column.type})`);
      }
      await applyComments(client, shape);
      return { oid, created: false, recreated: false, addedColumns: added.map((c) => c.name) };
    }
  }
  // Bare: the keys are built after the first load (see keys.ts).
  const columns = shape.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`);
  await client.query(`create table ${qualified} (\n  ${columns.join(",\n  ")}\n)`);
  const createdOid = (await tableOid(client, schema, table))!;
  await recordCreated(client, schema, table, createdOid);
  await applyComments(client, shape);
  return { oid: createdOid, created: true, recreated, addedColumns: [] };
}

async function rescaleColumn(client: pg.PoolClient, shape: TableShape, column: string, from: string, to: string) {
  const { schema, table } = shape;
  try {
    await client.query(
      `alter table ${quoteIdent(schema)}.${quoteIdent(table)} alter column ${quoteIdent(column)} type ${to}`,
    );
  } catch (error) {
    throw new DuckmartError(`Could not change ${schema}.${table}.${column} from ${from} to ${to} in place`, {
      hint: "A view or rule on the column blocks the change, or a value has more integer digits than the new type. Drop the view (and recreate it after the sync), or rerun with --allow-recreate to drop and recreate the table (Metabase questions on it must then be re-pointed). Nothing was changed.",
      cause: error,
    });
  }
}

async function existingColumns(client: pg.PoolClient, schema: string, table: string): Promise<Map<string, string>> {
  const { rows } = await client.query<{
    column_name: string;
    data_type: string;
    numeric_precision: number | null;
    numeric_scale: number | null;
  }>(
    `select column_name, data_type, numeric_precision, numeric_scale from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`,
    [schema, table],
  );
  return new Map(rows.map((r) => [r.column_name, normalizePgType(r.data_type, r.numeric_precision, r.numeric_scale)]));
}

/** COMMENT ON from the catalog: Metabase shows them as descriptions. */
async function applyComments(client: pg.PoolClient, shape: TableShape): Promise<void> {
  const qualified = `${quoteIdent(shape.schema)}.${quoteIdent(shape.table)}`;
  if (shape.comment) await client.query(`comment on table ${qualified} is ${quoteLiteral(shape.comment)}`);
  for (const column of shape.columns) {
    const text = shape.columnComments[column.name];
    if (text) await client.query(`comment on column ${qualified}.${quoteIdent(column.name)} is ${quoteLiteral(text)}`);
  }
}
