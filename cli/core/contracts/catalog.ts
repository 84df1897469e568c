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

export interface CatalogNode {
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
  tests: string[];
}

export interface Catalog {
  generatedAt: string;
  asOf: string;
  source: string;
  nodes: CatalogNode[];
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
