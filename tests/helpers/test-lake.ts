import { paymentEntityColumns } from "../../extract/index.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { afterEach } from "vitest";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadConfig } from "../../cli/core/config.ts";
import type { DuckmartConfig } from "../../cli/core/config-schema.ts";
import { captureLogger } from "../../cli/core/logger.ts";
import { lakePaths, type LakePaths } from "../../cli/core/paths.ts";
import { queryRows, quoteLiteral, type Row } from "../../cli/core/duckdb.ts";
import { withTestDuckdb } from "./test-duckdb.ts";
import { currentRawFile } from "../../cli/core/contracts/landing.ts";

export interface TestLake {
  dir: string;
  config: DuckmartConfig;
  paths: LakePaths;
  logger: ReturnType<typeof captureLogger>;
  cleanup(): Promise<void>;
}

/**
 * One DuckDB thread per test lake: the suite runs two files at once on two cores, and on fixtures this small a
 * second thread only adds scheduling (a small build and its tests took about 40% more CPU with two).
 */
export const testDuckdbThreads = 1;

/** A fresh data dir with a config built only from the given flags (no env, no .env); its site builds in <dir>/site. */
export async function testLake(flags: Record<string, unknown> = {}): Promise<TestLake> {
  const dir = await mkdtemp(join(tmpdir(), "duckmart-test-"));
  const config = await loadConfig({
    flags: {
      dataDir: dir,
      asOf: "2026-11-24",
      siteDir: join(dir, "site"),
      "duckdb.threads": testDuckdbThreads,
      ...flags,
    },
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

/** Fresh test lakes (testLake with `flags`), each removed after the test that made it (vitest's afterEach). */
export function lakesPerTest(): (flags?: Record<string, unknown>) => Promise<TestLake> {
  const lakes: TestLake[] = [];
  afterEach(async () => {
    for (const lake of lakes.splice(0)) await lake.cleanup();
  });
  return async (flags = {}) => {
    const lake = await testLake(flags);
    lakes.push(lake);
    return lake;
  };
}

/** Read a Parquet file back with DuckDB, independent of the code under test; `$file` in the SQL is the file. */
export function readParquet(path: string, sql = "select * from $file"): Promise<Row[]> {
  return withTestDuckdb((c) =>
    queryRows(c, sql.replaceAll("$file", `read_parquet(${quoteLiteral(path)}, hive_partitioning = false)`)),
  );
}
export const paymentColumns = paymentEntityColumns();

/** The current snapshot's data.parquet of an entity (follows raw/<source>/<entity>/current.json). */
export function rawFile(paths: LakePaths, source: string, entity: string): string {
  const file = currentRawFile(paths, source, entity);
  if (!file) throw new Error(`${source}/${entity} has no current snapshot in ${paths.root}`);
  return file;
}

/** The current snapshot's manifest.json of an entity. */
export function rawManifestFile(paths: LakePaths, source: string, entity: string): string {
  return join(dirname(rawFile(paths, source, entity)), "manifest.json");
}
