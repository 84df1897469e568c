import { readFile } from "node:fs/promises";
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

export async function readCatalog(path: string): Promise<Catalog> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Catalog;
  } catch (cause) {
    throw new DuckmartError(`Cannot read the catalog at ${path}`, {
      cause,
      hint: 'Run "duckmart transform" (or "duckmart docs") first.',
    });
  }
}

/** The marts: table models written to data/marts. */
export function martNodes(catalog: Catalog): CatalogNode[] {
  return catalog.nodes.filter((n) => n.kind === "model" && n.materialized === "table");
}
