import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LakePaths } from "../paths.ts";

/** One as-of day applied to a snapshot's history: the raw snapshots it read. */
export interface HistoryDay {
  asOf: string;
  /** `<source>/<entity>/<as_of=..../extracted_at=...>` of every raw snapshot the snapshot's SQL read. */
  inputs: string[];
  /** Rows the snapshot's SQL returned that day. */
  sourceRows: number;
}

/**
 * data/history/<snapshot>/current.json: the published version of one snapshot's SCD2 history. Versions are whole
 * Parquet folders (`version=<stamp>/valid_from_month=<yyyy-mm>/`), written aside and switched by rewriting this file
 * and the `latest` symlink; history is never deleted by builds or raw retention.
 */
export interface HistoryManifest {
  snapshot: string;
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
export function historyGlob(paths: LakePaths, snapshot: string, version: string): string {
  return join(paths.historyDir(snapshot), `version=${version}`, "*", "*.parquet");
}

export async function readHistoryManifest(paths: LakePaths, snapshot: string): Promise<HistoryManifest | undefined> {
  const file = join(paths.historyDir(snapshot), "current.json");
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, "utf8")) as HistoryManifest;
  } catch {
    return undefined;
  }
}

/** Every snapshot that has a published history. */
export async function listHistories(paths: LakePaths): Promise<HistoryManifest[]> {
  const out: HistoryManifest[] = [];
  for (const name of (await readdir(paths.historyRoot).catch((): string[] => [])).sort()) {
    const manifest = await readHistoryManifest(paths, name);
    if (manifest) out.push(manifest);
  }
  return out;
}
