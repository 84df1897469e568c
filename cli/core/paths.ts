import { isAbsolute, join, relative, resolve } from "node:path";

/**
 * The local lake layout under the data dir; every stage resolves its paths here.
 *
 * - raw/<source>/<entity>/as_of=<day>/extracted_at=<stamp>/{data.parquet,manifest.json}: immutable snapshots
 *   (Hive-style partitions), raw/<source>/<entity>/current.json: the pointer to the current one.
 * - builds/<build-id>/{marts/,catalog.json,test-results.json,build.json}: one complete transform each;
 *   builds/current.json points at the published one.
 * - marts, catalog.json, test-results.json: symlinks into the current build (the stable paths).
 * - history/<shop source>/<snapshot>/{current.json,latest,version=<stamp>/valid_from_month=<yyyy-mm>/*.parquet}: SCD2
 *   history, one per shop source (like raw/<source>/): switching sources never mixes or replaces another's history.
 * - site/: the static site built from this data dir (unless it is the checkout's data/, whose site is observable/dist,
 *   or DUCKMART_SITE_DIR moves it).
 */
export function lakePaths(dataDir: string) {
  const root = resolve(dataDir);
  const entityDir = (source: string, entity: string) => join(root, "raw", source, entity);
  return {
    root,
    rawRoot: join(root, "raw"),
    rawDir: (source: string) => join(root, "raw", source),
    /** All snapshots of one entity, and its current.json pointer. */
    rawEntityDir: entityDir,
    rawPointer: (source: string, entity: string) => join(entityDir(source, entity), "current.json"),
    rawSnapshotDir: (source: string, entity: string, snapshot: string) => join(entityDir(source, entity), snapshot),
    /** Where a snapshot is written before it is complete; renamed into place when published. */
    rawPendingDir: (source: string, entity: string, stamp: string) =>
      join(entityDir(source, entity), `.pending-${stamp}`),
    state: (name: string) => join(root, "state", `${name}.json`),
    buildsDir: join(root, "builds"),
    buildDir: (buildId: string) => join(root, "builds", buildId),
    buildPointer: join(root, "builds", "current.json"),
    /** Stable path: a symlink to the current build's marts. */
    mart: (model: string) => join(root, "marts", `${model}.parquet`),
    martsDir: join(root, "marts"),
    catalog: join(root, "catalog.json"),
    testResults: join(root, "test-results.json"),
    runsDir: join(root, "runs"),
    /** SCD2 history, one folder per shop source and snapshot (outside builds: a build never deletes it). */
    historyRoot: join(root, "history"),
    historyDir: (shopSource: string, snapshot: string) => join(root, "history", shopSource, snapshot),
    /** The layout before history was kept per shop source (moved on first use; see history-legacy.ts). */
    legacyHistoryDir: (snapshot: string) => join(root, "history", snapshot),
    lock: join(root, ".duckmart.lock"),
    /** The site built from this data dir (see siteDirFor in observable/build-site.ts). */
    siteDir: join(root, "site"),
  };
}

export type LakePaths = ReturnType<typeof lakePaths>;

/** A path as the user would type it from the working directory: relative when it is under it, else absolute. */
export function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown && !shown.startsWith("..") && !isAbsolute(shown) ? shown : path;
}
