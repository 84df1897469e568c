import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { DuckmartError } from "../errors.ts";
import type { TestResult } from "./test-result.ts";

/** The catalog (data/catalog.json): written by transforms, read by the sync (keys, comments) and the site (lineage, privacy guard). */
export interface CatalogColumn {
  name: string;
  type: string;
  description: string;
  pii: boolean;
  tags: string[];
  tests: string[];
}

/** A foreign key: these columns reference the primary key of another node. */
export interface CatalogForeignKey {
  columns: string[];
  references: { model: string; columns: string[] };
}

/**
 * How the sync publishes a table: replace all rows, or upsert on a unique key (with `duckmart sync --incremental`).
 */
export type CatalogSync = { mode: "full" } | { mode: "incremental"; uniqueKey: string[] };

/** Keys declared in the node's yml (primary_key, foreign_keys, sync); never inferred from test ids or names. */
export interface CatalogKeys {
  /** Empty when none is declared. */
  primaryKey: string[];
  /** Foreign keys may point at views or raw tables too; the warehouse can only constrain those it publishes. */
  foreignKeys: CatalogForeignKey[];
  sync: CatalogSync;
}

export interface CatalogNode extends CatalogKeys {
  name: string;
  kind: "model" | "source" | "seed";
  layer: string;
  group: string;
  materialized: "view" | "table" | "parquet" | "csv";
  description: string;
  /** Relative (see catalogPaths): a source's to the data dir, a model's or seed's to the transforms project. */
  path: string;
  tags: string[];
  columns: CatalogColumn[];
  dependsOn: string[];
  /** The project macros (transforms/macros/) the node's SQL calls. */
  macros?: string[];
  tests: string[];
}

/** A DuckDB macro the models share, with its documented arguments. */
export interface CatalogMacro {
  name: string;
  description: string;
  arguments: { name: string; description: string }[];
  /** Relative to the transforms project, e.g. macros/day_spine.sql. */
  path: string;
}

export interface Catalog {
  generatedAt: string;
  asOf: string;
  /** The shop source of the build. */
  source: string;
  /** The build this catalog belongs to, and its payments source. */
  buildId?: string;
  paymentsSource?: string;
  nodes: CatalogNode[];
  macros?: CatalogMacro[];
  edges: { from: string; to: string }[];
  tests: TestResult[];
}

/**
 * Where the catalog's relative paths start: a source node's file (`raw/<source>/<entity>/as_of=.../data.parquet`)
 * is under the data dir, so a lake copied or moved elsewhere still resolves; a model's, seed's or macro's file
 * (`models/marts/core/dim_products.sql`) is under the transforms project, which is not part of the lake.
 */
export interface CatalogDirs {
  dataDir: string;
  /** Without it, the models', seeds' and macros' paths stay relative to the transforms project. */
  transformsDir?: string;
}

/** The catalog as written: every absolute path made relative to where it starts (an empty path stays empty). */
export function relativeCatalogPaths(catalog: Catalog, dirs: Required<CatalogDirs>): Catalog {
  const rel = (base: string, path: string) => (path && isAbsolute(path) ? relative(base, path) : path);
  return {
    ...catalog,
    nodes: catalog.nodes.map((n) => ({
      ...n,
      path: rel(n.kind === "source" ? dirs.dataDir : dirs.transformsDir, n.path),
    })),
    macros: catalog.macros?.map((m) => ({ ...m, path: rel(dirs.transformsDir, m.path) })),
  };
}

/**
 * The catalog with its paths resolved against the data dir the reader has (and the transforms project when given).
 * A catalog written before paths were relative holds absolute ones: they are kept as they are.
 */
export function resolveCatalogPaths(catalog: Catalog, dirs: CatalogDirs): Catalog {
  const resolve = (base: string | undefined, path: string) =>
    path && base && !isAbsolute(path) ? join(base, path) : path;
  return {
    ...catalog,
    nodes: catalog.nodes.map((n) => ({
      ...n,
      path: resolve(n.kind === "source" ? dirs.dataDir : dirs.transformsDir, n.path),
    })),
    macros: catalog.macros?.map((m) => ({ ...m, path: resolve(dirs.transformsDir, m.path) })),
  };
}

/** Read a build's catalog (`builds/<id>/catalog.json`, or the stable `catalog.json`), its paths resolved (see CatalogDirs). */
export async function readCatalog(path: string, dirs: CatalogDirs): Promise<Catalog> {
  let catalog: Catalog;
  try {
    catalog = JSON.parse(await readFile(path, "utf8")) as Catalog;
  } catch (cause) {
    throw new DuckmartError(`Cannot read the catalog at ${path}`, {
      cause,
      hint: 'Run "duckmart transform" (or "duckmart docs") first.',
    });
  }
  return resolveCatalogPaths(catalog, dirs);
}

/** The marts: table models written to data/marts. */
export function martNodes(catalog: Catalog): CatalogNode[] {
  return catalog.nodes.filter((n) => n.kind === "model" && n.materialized === "table");
}
