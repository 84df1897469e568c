import { readFile } from "node:fs/promises";
import { DuckmartError } from "../cli/core/errors.ts";
import type { Catalog, CatalogNode } from "../transforms/engine/catalog.ts";

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

/** Primary key from the model's tests: the columns that are both unique and not_null. */
export function primaryKey(node: CatalogNode): string[] {
  return node.columns
    .filter((c) => c.tests.some((t) => t.endsWith(".unique")) && c.tests.some((t) => t.endsWith(".not_null")))
    .map((c) => c.name)
    .slice(0, 1);
}

/** Foreign-key columns: those with a relationships test. */
export function foreignKeyColumns(node: CatalogNode): string[] {
  return node.columns.filter((c) => c.tests.some((t) => t.includes(".relationships."))).map((c) => c.name);
}
