import type { DuckDBConnection } from "@duckdb/node-api";
import { lstat, mkdir, readdir, rename, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { writeJsonAtomic } from "./atomic.ts";
import { quoteLiteral } from "./duckdb.ts";
import type { LakePaths } from "./paths.ts";
import { historyGlob, historyLatestLink, readHistoryManifest, type HistoryManifest } from "./contracts/history.ts";

/** The SCD2 columns every snapshot row carries besides its own. */
export const scdColumns = ["valid_from", "valid_to", "is_current", "is_deleted"] as const;

/** SQL reading a snapshot's published history, or undefined when it has none yet. */
export async function historySource(
  paths: LakePaths,
  shopSource: string,
  snapshot: string,
): Promise<{ sql: string; manifest: HistoryManifest } | undefined> {
  const manifest = await readHistoryManifest(paths, shopSource, snapshot);
  if (!manifest) return undefined;
  const glob = historyGlob(paths, shopSource, snapshot, manifest.version);
  return {
    manifest,
    sql: `(select * exclude (valid_from_month) from read_parquet(${quoteLiteral(glob)}, hive_partitioning = false))`,
  };
}

/**
 * Publish a new version of a snapshot's history (of one shop source: history/<shop source>/<snapshot>) from `relation` (a table with the SCD2 columns): Hive-partitioned
 * Parquet by valid_from month, written into a pending folder, renamed into place, then the manifest (current.json)
 * and the `latest` symlink switch to it. Older versions are removed once the new one is published.
 */
export async function publishHistory(
  connection: DuckDBConnection,
  paths: LakePaths,
  relation: string,
  orderBy: string,
  manifest: Omit<HistoryManifest, "version" | "rowCount" | "updatedAt" | "shopSource"> & { shopSource: string },
): Promise<HistoryManifest> {
  const dir = paths.historyDir(manifest.shopSource, manifest.snapshot);
  const now = new Date();
  const version = now.toISOString().replace(/[-:.]/g, "");
  const pending = join(dir, `.pending-${version}`);
  await mkdir(dir, { recursive: true });
  await rm(pending, { recursive: true, force: true });
  await connection.run(
    `copy (select *, strftime(valid_from, '%Y-%m') as valid_from_month from ${relation} order by ${orderBy})
     to ${quoteLiteral(pending)} (format parquet, compression zstd, partition_by (valid_from_month), write_partition_columns true)`,
  );
  const rows = await connection.runAndReadAll(`select count(*) from ${relation}`);
  const rowCount = Number(rows.getRows()[0]?.[0] ?? 0);
  // A partitioned copy of no rows writes no file: keep the (empty) history readable, with its columns.
  if (rowCount === 0) {
    const empty = join(pending, "valid_from_month=__HIVE_DEFAULT_PARTITION__");
    await mkdir(empty, { recursive: true });
    await connection.run(
      `copy (select *, null::varchar as valid_from_month from ${relation}) to ${quoteLiteral(join(empty, "data_0.parquet"))} (format parquet)`,
    );
  }
  await rename(pending, join(dir, `version=${version}`));
  const published: HistoryManifest = { ...manifest, version, rowCount, updatedAt: now.toISOString() };
  await writeJsonAtomic(join(dir, "current.json"), published);
  const link = join(dir, `.${historyLatestLink}.${version}`);
  await symlink(`version=${version}`, link);
  // A copy that did not keep symlinks (a downloaded artifact) has a plain folder here: replace it.
  if ((await lstat(join(dir, historyLatestLink)).catch(() => undefined))?.isDirectory())
    await rm(join(dir, historyLatestLink), { recursive: true, force: true });
  await rename(link, join(dir, historyLatestLink));
  for (const name of await readdir(dir))
    if ((name.startsWith("version=") && name !== `version=${version}`) || name.startsWith(".pending-"))
      await rm(join(dir, name), { recursive: true, force: true });
  return published;
}
