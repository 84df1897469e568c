import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LakePaths } from "../paths.ts";

/** A landed column: its name and DuckDB type. */
export interface ColumnSpec {
  name: string;
  type: string;
}

/**
 * What landed for one entity: one immutable snapshot, `manifest.json` beside its `data.parquet`.
 * Written by extract, read by later stages through the entity's current pointer.
 */
export interface EntityLanding {
  source: string;
  entity: string;
  /** The snapshot folder relative to the entity folder: `as_of=<day>/extracted_at=<stamp>`. */
  snapshot: string;
  /** Absolute path of the snapshot's data.parquet (resolved when read, so a moved lake still works). */
  path: string;
  rowCount: number;
  /** Wall-clock time of the extraction (ISO). */
  extractedAt: string;
  /** The day the extraction was for. */
  asOf: string;
  schemaHash: string;
  /** Unknown fields that landed anyway (schema drift). */
  driftFields: string[];
  /** Source-specific facts about the landing (the files source: input files, conflicts, quarantined lines). */
  details?: Record<string, unknown>;
}

export type LandingManifest = EntityLanding & { columns: ColumnSpec[] };

/** raw/<source>/<entity>/current.json: which snapshot is current. Moves only once a snapshot is complete. */
export interface SnapshotPointer {
  snapshot: string;
  asOf: string;
  extractedAt: string;
  rowCount: number;
  publishedAt: string;
  /** Where the as-of was set when it was not the default (`--as-of`, `DUCKMART_AS_OF`, ...): a deliberate as-of. */
  asOfSetBy?: string;
}

export const snapshotDataFile = "data.parquet";
export const snapshotManifestFile = "manifest.json";

/**
 * SQL that reads one snapshot's Parquet. Its path holds Hive-style `as_of=`/`extracted_at=` folders, which DuckDB
 * would otherwise turn into two extra columns: the partition columns are for engines reading the whole lake.
 */
export function readSnapshotSql(path: string): string {
  return `read_parquet('${path.replaceAll("'", "''")}', hive_partitioning = false)`;
}

/** `2026-11-26T04:53:40.123Z` -> `20261126T045340123Z`: sortable, and safe in a path on every OS. */
export function extractionStamp(extractedAt: string): string {
  return extractedAt.replace(/[-:.]/g, "");
}

/** The Hive-style partition of a snapshot: `as_of=<day>/extracted_at=<stamp>`. */
export function snapshotId(asOf: string, extractedAt: string): string {
  return `as_of=${asOf}/extracted_at=${extractionStamp(extractedAt)}`;
}

/** Where extract writes an entity's data before the snapshot is complete (it is renamed into place). */
export function landingTarget(paths: LakePaths, source: string, entity: string, extractedAt: string): string {
  return join(paths.rawPendingDir(source, entity, extractionStamp(extractedAt)), snapshotDataFile);
}

export function readSnapshotPointer(paths: LakePaths, source: string, entity: string): SnapshotPointer | undefined {
  const pointer = paths.rawPointer(source, entity);
  if (!existsSync(pointer)) return undefined;
  try {
    return JSON.parse(readFileSync(pointer, "utf8")) as SnapshotPointer;
  } catch {
    return undefined;
  }
}

/** The current snapshot's data.parquet, or undefined when the entity never landed. */
export function currentRawFile(paths: LakePaths, source: string, entity: string): string | undefined {
  const pointer = readSnapshotPointer(paths, source, entity);
  return pointer ? join(paths.rawSnapshotDir(source, entity, pointer.snapshot), snapshotDataFile) : undefined;
}

/** The manifest of the entity's current snapshot (follows current.json), or undefined when it never landed. */
export async function readLandingManifest(
  paths: LakePaths,
  source: string,
  entity: string,
): Promise<LandingManifest | undefined> {
  const pointer = readSnapshotPointer(paths, source, entity);
  return pointer ? readSnapshotManifest(paths, source, entity, pointer.snapshot) : undefined;
}

export async function readSnapshotManifest(
  paths: LakePaths,
  source: string,
  entity: string,
  snapshot: string,
): Promise<LandingManifest | undefined> {
  const dir = paths.rawSnapshotDir(source, entity, snapshot);
  try {
    const manifest = JSON.parse(await readFile(join(dir, snapshotManifestFile), "utf8")) as LandingManifest;
    return { ...manifest, snapshot, path: join(dir, snapshotDataFile) };
  } catch {
    return undefined;
  }
}

/** Every complete snapshot of an entity, oldest first (by as-of day, then extraction time). */
export async function listSnapshots(paths: LakePaths, source: string, entity: string): Promise<LandingManifest[]> {
  const dir = paths.rawEntityDir(source, entity);
  const days = (await readdir(dir).catch((): string[] => [])).filter((d) => d.startsWith("as_of=")).sort();
  const out: LandingManifest[] = [];
  for (const day of days) {
    const stamps = (await readdir(join(dir, day)).catch((): string[] => []))
      .filter((d) => d.startsWith("extracted_at="))
      .sort();
    for (const stamp of stamps) {
      const manifest = await readSnapshotManifest(paths, source, entity, `${day}/${stamp}`);
      if (manifest) out.push(manifest);
    }
  }
  return out;
}

/**
 * The snapshot that was current for as-of day `asOf`: the newest extraction among the snapshots extracted for that
 * day or earlier (replays of a past day read these). Undefined when none is retained.
 */
export async function snapshotForDay(
  paths: LakePaths,
  source: string,
  entity: string,
  asOf: string,
): Promise<LandingManifest | undefined> {
  return (await listSnapshots(paths, source, entity)).filter((s) => s.asOf <= asOf).at(-1);
}

/** Sources and entities that have a current snapshot. */
export async function listLandedEntities(paths: LakePaths): Promise<{ source: string; entity: string }[]> {
  const out: { source: string; entity: string }[] = [];
  for (const source of (await readdir(paths.rawRoot).catch((): string[] => [])).sort())
    for (const entity of (await readdir(paths.rawDir(source)).catch((): string[] => [])).sort())
      if (existsSync(paths.rawPointer(source, entity))) out.push({ source, entity });
  return out;
}
