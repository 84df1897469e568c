// Lineage: the model graph and docs from the catalog.
import type { Catalog } from "../../cli/core/contracts/catalog.ts";

/** The model graph and docs from the catalog (column names and descriptions only, never data). */
export function lineageDataset(catalog: Catalog) {
  return {
    generatedAt: catalog.generatedAt,
    nodes: catalog.nodes.map((n) => ({
      name: n.name,
      kind: n.kind,
      layer: n.layer,
      group: n.group,
      materialized: n.materialized,
      description: n.description,
      dependsOn: n.dependsOn,
      macros: n.macros ?? [],
      fields: n.columns.map((c) => ({
        column: c.name,
        type: c.type,
        description: c.description,
        tagged_pii: c.pii,
        tests: c.tests.length,
      })),
    })),
    edges: catalog.edges,
    macros: (catalog.macros ?? []).map((m) => ({
      name: m.name,
      description: m.description,
      arguments: m.arguments.map((a) => a.name).join(", "),
    })),
  };
}
