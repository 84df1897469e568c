import { paymentEntityColumns } from "../../extract/index.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../cli/core/config.ts";
import type { DuckmartConfig } from "../../cli/core/config-schema.ts";
import { captureLogger } from "../../cli/core/logger.ts";
import { lakePaths, type LakePaths } from "../../cli/core/paths.ts";
import { queryRows, quoteLiteral, withDuckdb, type Row } from "../../cli/core/duckdb.ts";

export interface TestLake {
  dir: string;
  config: DuckmartConfig;
  paths: LakePaths;
  logger: ReturnType<typeof captureLogger>;
  cleanup(): Promise<void>;
}

/** A fresh data dir with a config built only from the given flags (no env, no .env); its site builds in <dir>/site. */
export async function testLake(flags: Record<string, unknown> = {}): Promise<TestLake> {
  const dir = await mkdtemp(join(tmpdir(), "duckmart-test-"));
  const config = await loadConfig({
    flags: { dataDir: dir, asOf: "2026-11-24", siteDir: join(dir, "site"), ...flags },
    env: {},
    cwd: dir,
  });
  return {
    dir,
    config,
    paths: lakePaths(dir),
    logger: captureLogger(),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Read a Parquet file back with DuckDB, independent of the code under test; `$file` in the SQL is the file. */
export function readParquet(path: string, sql = "select * from $file"): Promise<Row[]> {
  return withDuckdb({}, (c) => queryRows(c, sql.replaceAll("$file", `read_parquet(${quoteLiteral(path)})`)));
}
export const paymentColumns = paymentEntityColumns();
