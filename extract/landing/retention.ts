import { readdir, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
import type { LakePaths } from "../../cli/core/paths.ts";
import { listSnapshots, readSnapshotPointer } from "../../cli/core/contracts/landing.ts";

/**
 * Raw retention: keep every snapshot whose as-of day is within `rawDays` days of the entity's newest as-of day,
 * and always the current one. Older snapshots are removed. Returns the snapshots removed.
 */
export async function pruneSnapshots(
  paths: LakePaths,
  source: string,
  entity: string,
  rawDays: number,
): Promise<string[]> {
  const snapshots = await listSnapshots(paths, source, entity);
  const newest = snapshots
    .map((s) => s.asOf)
    .sort()
    .at(-1);
  if (!newest) return [];
  const cutoff = new Date(Date.parse(`${newest}T00:00:00Z`) - rawDays * 86_400_000).toISOString().slice(0, 10);
  const current = readSnapshotPointer(paths, source, entity)?.snapshot;
  const removed: string[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.asOf >= cutoff || snapshot.snapshot === current) continue;
    await rm(paths.rawSnapshotDir(source, entity, snapshot.snapshot), { recursive: true, force: true });
    removed.push(snapshot.snapshot);
  }
  // Drop as_of= folders left empty.
  const dir = paths.rawEntityDir(source, entity);
  for (const day of await readdir(dir).catch((): string[] => []))
    if (day.startsWith("as_of=") && !(await readdir(join(dir, day))).length) await rmdir(join(dir, day));
  return removed;
}
