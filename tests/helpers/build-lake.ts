import { createHash } from "node:crypto";
import { readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import { readBuildManifest, readBuildPointer, type BuildManifest } from "../../cli/core/contracts/build-manifest.ts";
import { runCli, type CliResult } from "./cli.ts";
import { readParquet, type TestLake } from "./test-lake.ts";

/** The real bin on a lake, as of 2026-11-24, with a clean environment plus `env`. */
export function cli(lake: TestLake, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli([...args, "--data-dir", lake.dir], { DUCKMART_AS_OF: "2026-11-24", ...env });
}

/** The current build's manifest (builds/current.json followed). */
export async function currentBuild(lake: TestLake): Promise<BuildManifest | undefined> {
  const pointer = await readBuildPointer(lake.paths);
  return pointer ? readBuildManifest(lake.paths, pointer.buildId) : undefined;
}

/** What data/marts shows: the link target and a sha256 of every file's bytes, read independently of the code. */
export async function martsSnapshot(lake: TestLake): Promise<{ link: string; files: Record<string, string> }> {
  const link = await readlink(lake.paths.martsDir);
  const files: Record<string, string> = {};
  for (const name of (await readdir(lake.paths.martsDir)).sort())
    files[name] = createHash("sha256")
      .update(await readFile(join(lake.paths.martsDir, name)))
      .digest("hex");
  return { link, files };
}

export async function rows(path: string): Promise<number> {
  return Number((await readParquet(path, "select count(*) as n from $file"))[0]?.["n"]);
}
