import type { CatalogNode } from "../cli/core/contracts/catalog.ts";

export { martNodes, readCatalog } from "../cli/core/contracts/catalog.ts";

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
