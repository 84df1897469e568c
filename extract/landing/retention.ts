import { readdir, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
import type { LakePaths } from "../../cli/core/paths.ts";
import { listSnapshots, readSnapshotPointer } from "../../cli/core/contracts/landing.ts";
import { readBuildManifest, readBuildPointer } from "../../cli/core/contracts/build-manifest.ts";
import { utcToday } from "../../cli/core/today.ts";

/**
 * Raw retention: keep every snapshot whose as-of day is within `rawDays` days of the entity's newest as-of day that
 * is not after `today` (UTC), the current one, and the ones the current build read. Older snapshots are removed.
 * An as-of in the future (`--as-of 2099-01-01`, a typo) is kept but never moves the cutoff: counting back from it
 * removed every older snapshot. Returns the snapshots removed.
 */
export async function pruneSnapshots(
  paths: LakePaths,
  source: string,
  entity: string,
  rawDays: number,
  today = utcToday(),
): Promise<string[]> {
  const snapshots = await listSnapshots(paths, source, entity);
  if (!snapshots.length) return [];
  const from = retentionDay(
    snapshots.map((s) => s.asOf),
    today,
  );
  const cutoff = new Date(Date.parse(`${from}T00:00:00Z`) - rawDays * 86_400_000).toISOString().slice(0, 10);
  const keep = await snapshotsInUse(paths, source, entity);
  const removed: string[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.asOf >= cutoff || keep.has(snapshot.snapshot)) continue;
    await rm(paths.rawSnapshotDir(source, entity, snapshot.snapshot), { recursive: true, force: true });
    removed.push(snapshot.snapshot);
  }
  // Drop as_of= folders left empty.
  const dir = paths.rawEntityDir(source, entity);
  for (const day of await readdir(dir).catch((): string[] => []))
    if (day.startsWith("as_of=") && !(await readdir(join(dir, day))).length) await rmdir(join(dir, day));
  return removed;
}

/** The day retention counts back from: the newest as-of that is not after today, else today. */
export function retentionDay(asOfs: string[], today: string): string {
  return (
    asOfs
      .filter((a) => a <= today)
      .sort()
      .at(-1) ?? today
  );
}

/** The entity's current snapshot and the one the current build read (a replay reads an older one). */
async function snapshotsInUse(paths: LakePaths, source: string, entity: string): Promise<Set<string>> {
  const keep = new Set<string>();
  const current = readSnapshotPointer(paths, source, entity)?.snapshot;
  if (current) keep.add(current);
  const buildId = (await readBuildPointer(paths))?.buildId;
  const build = buildId ? await readBuildManifest(paths, buildId) : undefined;
  for (const input of build?.inputs ?? [])
    if (input.source === source && input.entity === entity && input.snapshot) keep.add(input.snapshot);
  return keep;
}
