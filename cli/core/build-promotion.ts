import { existsSync, lstatSync } from "node:fs";
import { readdir, readlink, rename, rm, symlink } from "node:fs/promises";
import { relative, dirname } from "node:path";
import { tempPathFor, writeJsonAtomic } from "./atomic.ts";
import type { LakePaths } from "./paths.ts";
import {
  buildLayout,
  listBuilds,
  readBuildManifest,
  readBuildPointer,
  writeBuildManifest,
  type BuildPointer,
} from "./contracts/build-manifest.ts";

/**
 * Make a build current: builds/current.json moves (atomic write), then the stable paths follow. data/marts,
 * data/catalog.json and data/test-results.json are relative symlinks into the build, each swapped by renaming
 * a new symlink over the old one, so a reader sees either the old build's file or the new one's.
 */
export async function promoteBuild(paths: LakePaths, buildId: string): Promise<void> {
  const layout = buildLayout(paths, buildId);
  const manifest = await readBuildManifest(paths, buildId);
  if (!manifest) throw new Error(`Cannot promote ${buildId}: no build.json`);
  const promotedAt = new Date().toISOString();
  await writeBuildManifest(layout.manifest, { ...manifest, promotedAt });
  const pointer: BuildPointer = { buildId, promotedAt };
  await writeJsonAtomic(paths.buildPointer, pointer);
  await linkStablePaths(paths, buildId);
}

/** Point the stable paths at a build (also repairs them after a crash between the pointer and the links). */
export async function linkStablePaths(paths: LakePaths, buildId: string): Promise<void> {
  const layout = buildLayout(paths, buildId);
  for (const [link, target] of [
    [paths.martsDir, layout.martsDir],
    [paths.catalog, layout.catalog],
    [paths.testResults, layout.testResults],
  ] as const) {
    await swapSymlink(link, relative(dirname(link), target));
  }
}

/** The stable paths agree with builds/current.json; fixes them when they do not. */
export async function repairStablePaths(paths: LakePaths): Promise<boolean> {
  const pointer = await readBuildPointer(paths);
  if (!pointer) return false;
  const layout = buildLayout(paths, pointer.buildId);
  const expected = relative(dirname(paths.martsDir), layout.martsDir);
  const actual = await readlink(paths.martsDir).catch(() => undefined);
  const catalogOk = (await readlink(paths.catalog).catch(() => undefined)) === relative(paths.root, layout.catalog);
  if (actual === expected && catalogOk) return false;
  await linkStablePaths(paths, pointer.buildId);
  return true;
}

async function swapSymlink(link: string, target: string): Promise<void> {
  const stat = existsSync(link) || isLink(link) ? lstatSync(link) : undefined;
  // A lake from before builds has real folders and files here: move them out of the way once.
  if (stat && !stat.isSymbolicLink()) await rm(link, { recursive: true, force: true });
  const temp = tempPathFor(link);
  await symlink(target, temp);
  await rename(temp, link);
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Build retention: keep the current build and the `keep` newest others; older ones are removed. Failed builds
 * that never completed have only their build.json and count like the others.
 */
export async function pruneBuilds(paths: LakePaths, keep: number): Promise<string[]> {
  const current = (await readBuildPointer(paths))?.buildId;
  const others = (await listBuilds(paths)).filter((b) => b.buildId !== current);
  const removed: string[] = [];
  for (const build of others.slice(keep)) {
    await rm(paths.buildDir(build.buildId), { recursive: true, force: true });
    removed.push(build.buildId);
  }
  return removed;
}

/** Builds folders left by a killed transform (builds/.tmp-*). */
export async function halfBuilds(paths: LakePaths): Promise<string[]> {
  return (await readdir(paths.buildsDir).catch((): string[] => [])).filter((d) => d.startsWith(".tmp-"));
}
