import { mkdir, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeJsonAtomic } from "../../cli/core/atomic.ts";
import type { LakePaths } from "../../cli/core/paths.ts";
import { schemaHash, type ColumnSpec } from "../schemas/duckdb-types.ts";
import {
  extractionStamp,
  landingTarget,
  snapshotDataFile,
  snapshotId,
  snapshotManifestFile,
  type EntityLanding,
  type SnapshotPointer,
} from "../../cli/core/contracts/landing.ts";

/**
 * Complete a pending snapshot: its data.parquet is at `landingTarget(...)`; this writes manifest.json beside
 * it. The snapshot becomes visible only when `publishLandings` renames it into place and moves the pointer.
 */
export async function writeLandingManifest(
  paths: LakePaths,
  landing: Omit<EntityLanding, "path" | "schemaHash" | "snapshot">,
  columns: ColumnSpec[],
): Promise<EntityLanding> {
  const path = landingTarget(paths, landing.source, landing.entity, landing.extractedAt);
  const full: EntityLanding = {
    ...landing,
    snapshot: snapshotId(landing.asOf, landing.extractedAt),
    path,
    schemaHash: schemaHash(columns),
  };
  const { path: _absolute, ...stored } = full;
  await writeJsonAtomic(join(dirname(path), snapshotManifestFile), { ...stored, file: snapshotDataFile, columns });
  return full;
}

/**
 * Publish completed snapshots: rename each pending folder to raw/<source>/<entity>/as_of=<day>/extracted_at=<stamp>
 * (never over an existing one), then move the entity's current.json pointer to it (atomic write). `asOfSetBy`
 * names the setting of a deliberate as-of (the row-count guards read it).
 */
export async function publishLandings(
  paths: LakePaths,
  landed: EntityLanding[],
  asOfSetBy?: string,
): Promise<EntityLanding[]> {
  const out: EntityLanding[] = [];
  for (const landing of landed) {
    const pending = paths.rawPendingDir(landing.source, landing.entity, extractionStamp(landing.extractedAt));
    const final = paths.rawSnapshotDir(landing.source, landing.entity, landing.snapshot);
    await mkdir(dirname(final), { recursive: true });
    await rename(pending, final);
    const pointer: SnapshotPointer = {
      snapshot: landing.snapshot,
      asOf: landing.asOf,
      extractedAt: landing.extractedAt,
      rowCount: landing.rowCount,
      publishedAt: new Date().toISOString(),
      ...(asOfSetBy ? { asOfSetBy } : {}),
    };
    await writeJsonAtomic(paths.rawPointer(landing.source, landing.entity), pointer);
    out.push({ ...landing, path: join(final, snapshotDataFile) });
  }
  return out;
}
