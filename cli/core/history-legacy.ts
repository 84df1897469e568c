import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type { LakePaths } from "./paths.ts";
import { lastShopSource } from "./shop-source.ts";

/**
 * History was once kept as history/<snapshot>/ for whichever shop source the lake had; it is now
 * history/<shop source>/<snapshot>/. A legacy folder (one with its current.json directly under history/<snapshot>)
 * is moved, whole, to the shop source recorded in it: the source of the raw snapshots its newest applied day read,
 * else (a history restored from the warehouse, which records no days) the shop source extracted last, else the
 * default. The `latest` symlink is relative, so it still resolves. Idempotent; another process moving it first is
 * fine.
 */
export async function migrateLegacyHistory(paths: LakePaths): Promise<Array<{ snapshot: string; shopSource: string }>> {
  const moved: Array<{ snapshot: string; shopSource: string }> = [];
  for (const snapshot of await readdir(paths.historyRoot).catch((): string[] => [])) {
    const manifestFile = join(paths.legacyHistoryDir(snapshot), "current.json");
    if (!existsSync(manifestFile)) continue;
    const shopSource = await recordedShopSource(manifestFile, paths);
    const target = paths.historyDir(shopSource, snapshot);
    // That source already has a history of its own: the legacy one is left where it is (and not read).
    if (existsSync(target)) continue;
    await mkdir(join(paths.historyRoot, shopSource), { recursive: true });
    try {
      await rename(paths.legacyHistoryDir(snapshot), target);
      moved.push({ snapshot, shopSource });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return moved;
}

async function recordedShopSource(manifestFile: string, paths: LakePaths): Promise<string> {
  try {
    const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as {
      shopSource?: string;
      days?: Array<{ asOf: string; inputs: string[] }>;
    };
    if (manifest.shopSource) return manifest.shopSource;
    const newest = [...(manifest.days ?? [])].sort((a, b) => a.asOf.localeCompare(b.asOf)).at(-1);
    const source = newest?.inputs[0]?.split("/")[0];
    if (source) return source;
  } catch {
    // An unreadable manifest: fall back below.
  }
  return lastShopSource(paths) ?? "sample";
}
