import { existsSync } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

/**
 * Framework's client bundle names optional libraries (react, leaflet, echarts, ...) by version, and asks
 * registry.npmjs.org for "latest" when its `_npm` cache does not know one. duckmart's pages never load
 * those libraries (everything they use is bundled from node_modules), so the versions only shape URLs
 * that are never requested. Seeding the cache with pinned versions keeps the build fully offline.
 */
const pinnedVersions: Record<string, string> = {
  "@observablehq/plot": "0.6.17",
  "@observablehq/sample-datasets": "1.0.1",
  "apache-arrow": "21.2.0",
  arquero: "8.0.3",
  "d3-dsv": "3.0.2",
  d3: "7.9.2",
  echarts: "6.1.0",
  htl: "0.3.1",
  leaflet: "1.9.4",
  lodash: "4.17.21",
  "mapbox-gl": "3.32.0",
  "parquet-wasm": "0.8.0",
  "react-dom": "19.1.0",
  react: "19.1.0",
  "topojson-client": "3.1.0",
};

export async function seedNpmVersionCache(cacheDir: string): Promise<void> {
  const npmDir = join(cacheDir, "_npm");
  for (const [name, version] of Object.entries(pinnedVersions)) {
    const parent = name.startsWith("@") ? join(npmDir, name.split("/")[0]!) : npmDir;
    const base = name.startsWith("@") ? name.split("/")[1]! : name;
    const known = existsSync(parent) && (await readdir(parent)).some((entry) => entry.startsWith(`${base}@`));
    if (!known) await mkdir(join(npmDir, `${name}@${version}`), { recursive: true });
  }
}

/** Drop cached loader output (everything but Framework's own `_node`/`_npm` caches and the stamp). */
export async function dropLoaderCache(cacheDir: string): Promise<void> {
  if (!existsSync(cacheDir)) return;
  for (const entry of await readdir(cacheDir)) {
    if (!entry.startsWith("_") && entry !== "duckmart-stamp")
      await rm(join(cacheDir, entry), { recursive: true, force: true });
  }
}
