import { join, resolve } from "node:path";
import { DuckDBInstance, DuckDBTypeId, version, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";

export interface DuckdbOptions {
  /** e.g. "2GB"; DuckDB spills to disk beyond it. */
  memoryLimit?: string;
  threads?: number;
  /** Where DuckDB may spill; defaults to DuckDB's own choice. */
  tempDirectory?: string;
}

/** Quote an identifier for DuckDB (and Postgres: same rules). The one place that does it. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Quote a string literal, for the few places that cannot bind (DDL such as CREATE VIEW over a path, COMMENT ON).
 * The one place that does it, for DuckDB and Postgres alike (standard strings: only the quote is doubled).
 */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A scalar as a SQL literal: strings quoted, numbers and booleans as written. */
export function sqlValue(value: string | number | boolean): string {
  return typeof value === "string" ? quoteLiteral(value) : String(value);
}

/** A DuckDB list literal, e.g. `['a', 'b']`. */
export function sqlList(values: readonly (string | number | boolean)[]): string {
  return `[${values.map(sqlValue).join(", ")}]`;
}

/** Open an in-process DuckDB, run `work` on one connection, and close everything in `finally`. */
export async function withDuckdb<T>(
  options: DuckdbOptions,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const config: Record<string, string> = {};
  if (options.memoryLimit) config["memory_limit"] = options.memoryLimit;
  if (options.threads) config["threads"] = String(options.threads);
  if (options.tempDirectory) config["temp_directory"] = options.tempDirectory;
  // Every write that needs an order sorts explicitly, so DuckDB may stream without keeping insertion order.
  config["preserve_insertion_order"] = "false";
  const instance = await DuckDBInstance.create(":memory:", config);
  try {
    const connection = await instance.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** DuckDB settings from the config: its memory limit, and a spill directory inside the lake. */
export function duckdbOptionsFor(config: {
  dataDir: string;
  duckdb: { memoryLimit: string; threads?: number | undefined };
}): DuckdbOptions {
  return {
    memoryLimit: config.duckdb.memoryLimit,
    threads: config.duckdb.threads,
    tempDirectory: join(resolve(config.dataDir), ".duckdb-tmp"),
  };
}

/** One DuckDB connection runs one query at a time: work that may overlap on a connection queues here. */
const connectionQueues = new WeakMap<DuckDBConnection, Promise<unknown>>();

export function serialized<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  const next = (connectionQueues.get(connection) ?? Promise.resolve()).then(work);
  connectionQueues.set(
    connection,
    next.catch(() => undefined),
  );
  return next;
}

export type Row = Record<string, unknown>;

/** Run a query with bound values and return plain JS rows: BIGINT as number when safe (else string), DATE/TIMESTAMP as Date. */
export async function queryRows(connection: DuckDBConnection, sql: string, values?: DuckDBValue[]): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql, values);
  return reader.getRowObjectsJS().map((row) => normalizeRow(row as Row));
}

/** Types whose JS value is not what DuckDB stores (DECIMAL as a double, DATE/TIMESTAMP as a UTC Date). */
const exactAsText = new Set([
  "DECIMAL",
  "DATE",
  "TIME",
  "TIME_TZ",
  "TIMESTAMP",
  "TIMESTAMP_S",
  "TIMESTAMP_MS",
  "TIMESTAMP_NS",
  "TIMESTAMP_TZ",
  "INTERVAL",
  "LIST",
  "ARRAY",
  "STRUCT",
  "MAP",
  "UNION",
]);

/**
 * queryRows for values shown to people (data-test samples): DECIMAL exactly as stored ("41.483000", never the
 * nearest double), DATE as "2024-03-01", a naive TIMESTAMP as "2024-03-01 10:00:00" (no invented "Z"), TIMESTAMPTZ
 * with its offset; the other types as queryRows returns them.
 */
export async function queryRowsExact(connection: DuckDBConnection, sql: string): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql);
  const names = reader.columnNames();
  const text = reader.columnTypes().map((t) => exactAsText.has(DuckDBTypeId[t.typeId]));
  const json = reader.getRowObjectsJson();
  return reader.getRowObjectsJS().map((row, r) => {
    const out = normalizeRow(row as Row);
    names.forEach((name, c) => {
      if (text[c]) out[name] = json[r]![name];
    });
    return out;
  });
}

function normalizeRow(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = normalizeValue(value);
  return out;
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (value && typeof value === "object" && !(value instanceof Date)) return normalizeRow(value as Row);
  return value;
}

export async function queryValue<T = unknown>(
  connection: DuckDBConnection,
  sql: string,
  values?: DuckDBValue[],
): Promise<T> {
  const rows = await queryRows(connection, sql, values);
  const first = rows[0];
  return (first ? Object.values(first)[0] : undefined) as T;
}

export async function duckdbVersion(): Promise<string> {
  // The library's version (what `select version()` returns) without opening a database (~50-80 ms).
  return version();
}
