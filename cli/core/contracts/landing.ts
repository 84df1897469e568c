import { readFile } from "node:fs/promises";
import type { LakePaths } from "../paths.ts";

/** A landed column: its name and DuckDB type. */
export interface ColumnSpec {
  name: string;
  type: string;
}

/** What landed for one entity; written by extract as `<entity>.manifest.json` beside the Parquet, read by later stages. */
export interface EntityLanding {
  source: string;
  entity: string;
  path: string;
  rowCount: number;
  extractedAt: string;
  asOf: string;
  schemaHash: string;
  /** Unknown fields that landed anyway (schema drift). */
  driftFields: string[];
  /** Source-specific facts about the landing (the files source: input files, conflicts, quarantined lines). */
  details?: Record<string, unknown>;
}

export type LandingManifest = EntityLanding & { columns: ColumnSpec[] };

export async function readLandingManifest(
  paths: LakePaths,
  source: string,
  entity: string,
): Promise<LandingManifest | undefined> {
  try {
    return JSON.parse(await readFile(paths.rawManifest(source, entity), "utf8")) as LandingManifest;
  } catch {
    return undefined;
  }
}
