// The model graph and docs from data/catalog.json (column names and descriptions only, never data).
import { emitJson, readCatalogSync } from "../../lib/loader-kit.ts";

const catalog = readCatalogSync();
emitJson("lineage.json", {
  generatedAt: catalog.generatedAt,
  nodes: catalog.nodes.map((n) => ({
    name: n.name, kind: n.kind, layer: n.layer, group: n.group, materialized: n.materialized, description: n.description, dependsOn: n.dependsOn,
    fields: n.columns.map((c) => ({ column: c.name, type: c.type, description: c.description, tagged_pii: c.pii, tests: c.tests.length })),
  })),
  edges: catalog.edges,
});
