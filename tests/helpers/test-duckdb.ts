import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

let shared: Promise<DuckDBInstance> | undefined;

/**
 * A connection to one in-memory DuckDB shared by a test worker's helpers (reading marts back, landing fixture
 * rows): creating an instance costs 20-70 ms, and a unit run made about 150 of them. The product's `withDuckdb`
 * settings on one thread (as test lakes), and no file cache: a path the code under test rewrites is read afresh.
 */
export async function withTestDuckdb<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  shared ??= DuckDBInstance.create(":memory:", {
    threads: "1",
    preserve_insertion_order: "false",
    enable_external_file_cache: "false",
  });
  const connection = await (await shared).connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}
