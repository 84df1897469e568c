import { readFile } from "node:fs/promises";
import { writeJsonAtomic } from "../../cli/core/atomic.ts";
import type { LakePaths } from "../../cli/core/paths.ts";
import { schemaHash, type ColumnSpec } from "../schemas/duckdb-types.ts";
import type { EntityLanding } from "../source.ts";

export async function writeLandingManifest(
  paths: LakePaths,
  landing: Omit<EntityLanding, "path" | "schemaHash">,
  columns: ColumnSpec[],
): Promise<EntityLanding> {
  const full: EntityLanding = {
    ...landing,
    path: paths.raw(landing.source, landing.entity),
    schemaHash: schemaHash(columns),
  };
  await writeJsonAtomic(paths.rawManifest(landing.source, landing.entity), { ...full, columns });
  return full;
}

export async function readLandingManifest(
  paths: LakePaths,
  source: string,
  entity: string,
): Promise<(EntityLanding & { columns: ColumnSpec[] }) | undefined> {
  try {
    return JSON.parse(await readFile(paths.rawManifest(source, entity), "utf8")) as EntityLanding & {
      columns: ColumnSpec[];
    };
  } catch {
    return undefined;
  }
}
