import { readLandingManifest } from "../core/contracts/landing.ts";
import type { LakePaths } from "../core/paths.ts";

/** Hours since the commerce source's orders were last extracted; undefined when never. */
export async function dataAgeHours(paths: LakePaths, source: string, now = Date.now()): Promise<number | undefined> {
  const manifest = await readLandingManifest(paths, source, "orders");
  return manifest ? (now - Date.parse(manifest.extractedAt)) / 3_600_000 : undefined;
}
