import { resolveBuild } from "../cli/core/contracts/build-manifest.ts";
import type { LakePaths } from "../cli/core/paths.ts";
import type { BuildInfo } from "./postgres/published-build.ts";

/** The build a sync publishes: its identity (recorded in Postgres), its catalog and its marts. */
export interface SyncBuild extends BuildInfo {
  catalog: string;
  mart: (model: string) => string;
}

/**
 * The current build, or `buildId`. resolveBuild refuses a build that is incomplete or failed its checks (the
 * row-count guards included), so such a build never reaches the warehouse.
 */
export async function buildToPublish(paths: LakePaths, buildId?: string): Promise<SyncBuild> {
  const { layout, manifest } = await resolveBuild(paths, buildId);
  return {
    buildId: manifest.buildId,
    asOf: manifest.asOf,
    shopSource: manifest.shopSource,
    paymentsSource: manifest.paymentsSource,
    catalog: layout.catalog,
    mart: layout.mart,
  };
}
