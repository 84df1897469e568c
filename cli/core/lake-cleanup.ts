import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "./logger.ts";
import type { LakePaths } from "./paths.ts";
import { halfBuilds, repairStablePaths } from "./build-promotion.ts";
import { markAbandonedRuns } from "./contracts/run-manifest.ts";
import { isAlive } from "./lock.ts";

export interface CleanupSummary {
  tempFiles: string[];
  pendingSnapshots: string[];
  halfBuilds: string[];
  /** A killed site build's folders beside <data-dir>/site. */
  siteLeftovers: string[];
  abandonedRuns: string[];
  repairedStablePaths: boolean;
}

/**
 * Run by every command that takes the data-dir lock fresh: removes what a killed command left (temp files,
 * half-written snapshots and builds), marks its run `abandoned`, and re-links the stable paths to the current
 * build. Safe because the lock guarantees that nobody else is writing.
 */
export async function cleanupLake(paths: LakePaths, logger: Logger): Promise<CleanupSummary> {
  const summary: CleanupSummary = {
    tempFiles: [],
    pendingSnapshots: [],
    halfBuilds: [],
    siteLeftovers: [],
    abandonedRuns: await markAbandonedRuns(paths.runsDir),
    repairedStablePaths: false,
  };
  for (const source of await list(paths.rawRoot))
    for (const entity of await list(paths.rawDir(source)))
      for (const name of await list(paths.rawEntityDir(source, entity)))
        if (name.startsWith(".pending-")) {
          await rm(join(paths.rawEntityDir(source, entity), name), { recursive: true, force: true });
          summary.pendingSnapshots.push(`${source}/${entity}/${name}`);
        }
  // Half-written history versions (data/history/<shop source>/<snapshot>/.pending-*, a dangling .latest.* link;
  // one level up in a lake not yet moved to the per-source layout).
  for (const top of await list(paths.historyRoot))
    for (const sub of await list(join(paths.historyRoot, top))) {
      const below = (await list(join(paths.historyRoot, top, sub))).map((name) => `${top}/${sub}/${name}`);
      for (const path of [`${top}/${sub}`, ...below])
        if (/\/\.(?:pending-|latest\.)[^/]*$/.test(path)) {
          await rm(join(paths.historyRoot, path), { recursive: true, force: true });
          summary.pendingSnapshots.push(`history/${path}`);
        }
    }
  for (const name of await halfBuilds(paths)) {
    await rm(join(paths.buildsDir, name), { recursive: true, force: true });
    summary.halfBuilds.push(name);
  }
  // A site build killed before its swap: the new site beside <data-dir>/site, the old one it was replacing, the
  // drill-down pages (each named with the pid of a build that is gone).
  for (const name of await list(paths.root)) {
    const pid = /^(?:\.site|site\.old|\.drill-down)-(\d+)$/.exec(name)?.[1];
    if (pid && !isAlive({ pid: Number(pid) })) {
      await rm(join(paths.root, name), { recursive: true, force: true });
      summary.siteLeftovers.push(name);
    }
  }
  summary.tempFiles = await removeTempFiles(paths.root, 4);
  summary.repairedStablePaths = await repairStablePaths(paths);
  const left = [...summary.tempFiles, ...summary.pendingSnapshots, ...summary.halfBuilds, ...summary.siteLeftovers];
  if (left.length)
    logger.info(`Removed ${left.length} leftover(s) of a killed command: ${left.slice(0, 5).join(", ")}`);
  if (summary.abandonedRuns.length)
    logger.warn(`Marked abandoned (process gone): run ${summary.abandonedRuns.join(", ")}`);
  if (summary.repairedStablePaths) logger.info("Re-linked data/marts to the current build");
  return summary;
}

/** `*.tmp` files (atomic writes that never got renamed), down to `depth` folders; symlinks are not followed. */
async function removeTempFiles(dir: string, depth: number): Promise<string[]> {
  const removed: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith(".tmp")) {
      await rm(path, { force: true });
      removed.push(path);
    } else if (entry.isDirectory() && depth > 0) removed.push(...(await removeTempFiles(path, depth - 1)));
  }
  return removed;
}

async function list(dir: string): Promise<string[]> {
  return readdir(dir).catch((): string[] => []);
}
