import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LakePaths } from "../paths.ts";
import { migrateLegacyHistory } from "../history-legacy.ts";

/** One as-of day applied to a snapshot's history: the raw snapshots it read. */
export interface HistoryDay {
  asOf: string;
  /** `<source>/<entity>/<as_of=..../extracted_at=...>` of every raw snapshot the snapshot's SQL read. */
  inputs: string[];
  /** Rows the snapshot's SQL returned that day. */
  sourceRows: number;
}

/**
 * data/history/<shop source>/<snapshot>/current.json: the published version of one snapshot's SCD2 history, for one
 * shop source (each keeps its own: a switch of source never mixes or replaces another's). Versions are whole
 * Parquet folders (`version=<stamp>/valid_from_month=<yyyy-mm>/`), written aside and switched by rewriting this file
 * and the `latest` symlink; history is never deleted by builds or raw retention.
 */
export interface HistoryManifest {
  snapshot: string;
  /** The shop source whose raw snapshots it was built from (absent in histories written before it was recorded). */
  shopSource?: string;
  version: string;
  /** The newest as-of day applied. */
  asOf: string;
  days: HistoryDay[];
  rowCount: number;
  /** sha256 of the snapshot's SQL and config: a change is applied from the next day on (or rebuilt with --full-refresh). */
  definition: string;
  updatedAt: string;
  /** Set when this version came from the warehouse (a lake that lost its history). */
  restoredFrom?: string;
}

export const historyLatestLink = "latest";

/** The table mart that publishes a snapshot's whole history (synced to the warehouse): customers_snapshot -> history_customers. */
export function historyMart(snapshot: string): string {
  return `history_${snapshot.replace(/_snapshot$/, "")}`;
}

/** The glob that reads a snapshot's published history (every engine that reads Parquet can take it). */
export function historyGlob(paths: LakePaths, shopSource: string, snapshot: string, version: string): string {
  return join(paths.historyDir(shopSource, snapshot), `version=${version}`, "*", "*.parquet");
}

/** One shop source's published history of a snapshot (a lake in the older, unkeyed layout is moved first). */
export async function readHistoryManifest(
  paths: LakePaths,
  shopSource: string,
  snapshot: string,
): Promise<HistoryManifest | undefined> {
  await migrateLegacyHistory(paths);
  const file = join(paths.historyDir(shopSource, snapshot), "current.json");
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, "utf8")) as HistoryManifest;
  } catch {
    return undefined;
  }
}

/** Every snapshot that has a published history for a shop source. */
export async function listHistories(paths: LakePaths, shopSource: string): Promise<HistoryManifest[]> {
  const out: HistoryManifest[] = [];
  await migrateLegacyHistory(paths);
  for (const name of (await readdir(join(paths.historyRoot, shopSource)).catch((): string[] => [])).sort()) {
    const manifest = await readHistoryManifest(paths, shopSource, name);
    if (manifest) out.push(manifest);
  }
  return out;
}
