import { join, resolve } from "node:path";

/** The local lake layout under the data dir; every stage resolves its paths here. */
export function lakePaths(dataDir: string) {
  const root = resolve(dataDir);
  return {
    root,
    raw: (source: string, entity: string) => join(root, "raw", source, `${entity}.parquet`),
    rawManifest: (source: string, entity: string) => join(root, "raw", source, `${entity}.manifest.json`),
    rawDir: (source: string) => join(root, "raw", source),
    state: (name: string) => join(root, "state", `${name}.json`),
    mart: (model: string) => join(root, "marts", `${model}.parquet`),
    martsDir: join(root, "marts"),
    catalog: join(root, "catalog.json"),
    testResults: join(root, "test-results.json"),
    runsDir: join(root, "runs"),
    lock: join(root, ".duckmart.lock"),
  };
}

export type LakePaths = ReturnType<typeof lakePaths>;
