import { writeJsonAtomic } from "../../cli/core/atomic.ts";
import type { LakePaths } from "../../cli/core/paths.ts";
import { schemaHash, type ColumnSpec } from "../schemas/duckdb-types.ts";
import type { EntityLanding } from "../../cli/core/contracts/landing.ts";

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
