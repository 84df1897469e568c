import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";

/**
 * The user's own lake and site: the suite must never write there (tests use temp data dirs and temp site
 * outputs). A fingerprint of names, sizes and mtimes, taken before and after the run.
 */
export const userDirs = ["data", "observable/dist"];

export async function fingerprint(repoRoot: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const dir of userDirs) {
    const hash = createHash("sha256");
    const walk = async (path: string): Promise<void> => {
      if (!existsSync(path)) return;
      const s = await stat(path);
      hash.update(`${relative(repoRoot, path)}\t${s.isDirectory() ? "dir" : s.size}\t${s.mtimeMs}\n`);
      if (s.isDirectory()) for (const entry of (await readdir(path)).sort()) await walk(join(path, entry));
    };
    await walk(join(repoRoot, dir));
    out.set(dir, hash.digest("hex"));
  }
  return out;
}

/** The user dirs whose fingerprint changed. */
export function changedDirs(before: Map<string, string>, after: Map<string, string>): string[] {
  return userDirs.filter((dir) => before.get(dir) !== after.get(dir));
}
