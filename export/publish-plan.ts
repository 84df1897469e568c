import type { DuckDBConnection } from "@duckdb/node-api";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { queryRows, quoteLiteral } from "../cli/core/duckdb.ts";
import { DuckmartError } from "../cli/core/errors.ts";
import type { CatalogNode } from "../cli/core/contracts/catalog.ts";
import { arrowColumn, type ArrowColumn } from "../cli/core/arrow/duckdb-arrow.ts";
import { martSelect } from "./pii-columns.ts";
import type { PgForeignKey } from "./postgres/keys.ts";
import { pgType } from "./postgres/pg-types.ts";
import type { PublishTable } from "./postgres/publish-transaction.ts";

export interface PlanOptions {
  schema: string;
  /** Where the clear PII goes when the opt-in is on. */
  piiSchema?: string;
  incremental: boolean;
  /** Marts that are (or will be) in the schema: foreign keys may point at them. */
  published: Map<string, CatalogNode>;
  /** A fingerprint of the salt: a new salt republishes the hashes. */
  saltFingerprint: string;
}

/** The tables one mart publishes: itself (PII masked), plus its clear PII in the PII schema when opted in. */
export async function planMart(
  duck: DuckDBConnection,
  node: CatalogNode,
  path: string,
  options: PlanOptions,
): Promise<PublishTable[]> {
  if (!existsSync(path))
    throw new DuckmartError(`Mart ${node.name} has no Parquet at ${path}`, { hint: 'Run "duckmart transform" first.' });
  const source = `read_parquet(${quoteLiteral(path)})`;
  // The row count from the Parquet footer, and the file's own SHA-256 as its content checksum (a build's files
  // never change): no pass over the rows before the load.
  const footer = `parquet_file_metadata(${quoteLiteral(path)})`;
  const rowCount = Number((await queryRows(duck, `select coalesce(sum(num_rows), 0) as n from ${footer}`))[0]!["n"]);
  const raw = (await describe(duck, `select * from ${source}`, node.name)).map((c) => c.name);
  const select = martSelect(node, source, raw);
  const fingerprint = createHash("sha256").update(`${select.publicSql}\n${options.saltFingerprint}`).digest("hex");
  const checksum = `${await fileSha256(path)}:${fingerprint.slice(0, 16)}`;
  const pii = new Set(node.columns.filter((c) => c.pii).map((c) => c.name));
  const foreignKeys: PgForeignKey[] = node.foreignKeys.flatMap((fk) => {
    const target = options.published.get(fk.references.model);
    const unique = target && sameColumns(target.primaryKey, fk.references.columns);
    if (!unique || fk.columns.some((c) => pii.has(c) || !raw.includes(c))) return [];
    return [{ columns: fk.columns, schema: options.schema, table: target.name, refColumns: fk.references.columns }];
  });
  const uniqueKey = node.sync.mode === "incremental" ? node.sync.uniqueKey : [];
  const main = await table(duck, node, select.publicSql, {
    schema: options.schema,
    comment: node.description,
    comments: select.publicComments,
    rowCount,
    checksum,
    incremental: options.incremental && uniqueKey.length > 0,
    withdrawn: raw.filter((c) => pii.has(c)),
    keys: {
      primaryKey: node.primaryKey,
      uniqueKey,
      indexed: [...new Set(node.foreignKeys.flatMap((fk) => fk.columns))].filter((c) => raw.includes(c) && !pii.has(c)),
      foreignKeys,
    },
  });
  if (!options.piiSchema || !select.piiSql) return [main];
  const clear = await table(duck, node, select.piiSql, {
    schema: options.piiSchema,
    comment: `PII of ${options.schema}.${node.name}, in clear: readable only by the PII role. ${node.description}`,
    comments: select.piiComments,
    rowCount,
    checksum: `${checksum}:pii`,
    incremental: false,
    keys: {
      primaryKey: node.primaryKey,
      uniqueKey: [],
      indexed: [],
      foreignKeys: [
        { columns: node.primaryKey, schema: options.schema, table: node.name, refColumns: node.primaryKey },
      ],
    },
  });
  return [main, clear];
}

async function table(
  duck: DuckDBConnection,
  node: CatalogNode,
  sql: string,
  options: {
    schema: string;
    comment: string;
    comments: Record<string, string>;
    rowCount: number;
    checksum: string;
    incremental: boolean;
    withdrawn?: string[];
    keys: Omit<PublishTable["keys"], "schema" | "table">;
  },
): Promise<PublishTable> {
  const columns = await describe(duck, sql, node.name);
  return {
    shape: {
      schema: options.schema,
      table: node.name,
      columns: columns.map((c) => ({ name: c.name, type: pgType(c.field) })),
      comment: options.comment,
      columnComments: options.comments,
      withdrawn: options.withdrawn,
    },
    keys: { schema: options.schema, table: node.name, ...options.keys },
    columns,
    sql: `select ${columns.map((c) => c.select).join(", ")} from (${sql})`,
    rowCount: options.rowCount,
    checksum: options.checksum,
    incremental: options.incremental,
  };
}

async function describe(duck: DuckDBConnection, sql: string, table: string): Promise<ArrowColumn[]> {
  const described = await queryRows(duck, `select column_name, column_type from (describe ${sql})`);
  return described.map((d) => arrowColumn(String(d["column_name"]), String(d["column_type"]), table));
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const sameColumns = (a: string[], b: string[]) => a.length === b.length && a.every((c) => b.includes(c));
