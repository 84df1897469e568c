import type { DuckDBConnection } from "@duckdb/node-api";
import { writeJsonAtomic } from "../../cli/core/atomic.ts";
import { queryRows, sqlList, type Row } from "../../cli/core/duckdb.ts";
import {
  relativeCatalogPaths,
  type Catalog,
  type CatalogColumn,
  type CatalogKeys,
  type CatalogNode,
} from "../../cli/core/contracts/catalog.ts";
import type { DataTest, TestResult } from "./data-tests.ts";

export type { Catalog, CatalogColumn, CatalogNode } from "../../cli/core/contracts/catalog.ts";
import type { Graph } from "./graph.ts";
import { catalogKeys } from "./model-keys.ts";
import { macrosCalled } from "./macros.ts";
import type { ModelDoc, Project } from "./project.ts";
import type { RawTable } from "./raw-sources.ts";

/** Everything the sync (Postgres comments, keys) and the site (lineage, privacy guard) need to know. */
export async function buildCatalog(
  connection: DuckDBConnection,
  options: {
    project: Project;
    graph: Graph;
    raw: RawTable[];
    tests: DataTest[];
    results: TestResult[];
    asOf: string;
    source: string;
    /** The data dir: the raw sources' paths are written relative to it (the models' to the transforms project). */
    dataDir: string;
  },
): Promise<Catalog> {
  const { project, graph } = options;
  const columnsOf = await describeAll(connection, [
    ...options.raw.filter((r) => r.exists || r.emptyColumns).map((r) => r.name),
    ...project.seeds.keys(),
    ...graph.order,
  ]);
  const testIds = (name: string, column?: string) =>
    options.tests.filter((t) => t.model === name && t.column === column).map((t) => t.id);
  const node = async (
    name: string,
    kind: CatalogNode["kind"],
    doc: ModelDoc | undefined,
    extra: Omit<CatalogNode, "name" | "kind" | "columns" | "description" | "tags" | "tests" | keyof CatalogKeys>,
  ) => {
    const described = columnsOf.get(name) ?? [];
    const docs = new Map((doc?.columns ?? []).map((c) => [c.name, c]));
    const columns: CatalogColumn[] = described.map((d) => {
      const c = docs.get(String(d["column_name"]));
      return {
        name: String(d["column_name"]),
        type: String(d["column_type"]),
        description: c?.description ?? "",
        pii: c?.pii ?? false,
        tags: c?.tags ?? [],
        tests: testIds(name, String(d["column_name"])),
      };
    });
    return {
      name,
      kind,
      columns,
      description: doc?.description ?? "",
      tags: doc?.tags ?? [],
      tests: testIds(name),
      ...(doc ? catalogKeys(doc) : { primaryKey: [], foreignKeys: [], sync: { mode: "full" } }),
      ...extra,
    } satisfies CatalogNode;
  };
  const nodes: CatalogNode[] = [];
  for (const raw of options.raw.filter((r) => r.exists || r.emptyColumns)) {
    nodes.push(
      await node(raw.name, "source", project.sources.get(raw.name), {
        layer: "raw",
        group: raw.source,
        materialized: "parquet",
        path: raw.path,
        dependsOn: [],
      }),
    );
  }
  for (const seed of project.seeds.values()) {
    nodes.push(
      await node(seed.name, "seed", seed.doc, {
        layer: "seed",
        group: "seeds",
        materialized: "csv",
        path: seed.path,
        dependsOn: [],
      }),
    );
  }
  for (const name of graph.order) {
    const model = project.models.get(name)!;
    nodes.push(
      await node(name, "model", model.doc, {
        layer: model.layer,
        group: model.group,
        materialized: model.materialized,
        path: model.path,
        dependsOn: graph.deps.get(name) ?? [],
        macros: macrosCalled(model.sql, project.macros),
      }),
    );
  }
  const edges = [...graph.deps].flatMap(([to, froms]) => froms.map((from) => ({ from, to })));
  const catalog: Catalog = {
    generatedAt: new Date().toISOString(),
    asOf: options.asOf,
    source: options.source,
    nodes,
    macros: [...project.macros.values()].map((m) => ({ ...m.doc, path: m.path })),
    edges,
    tests: options.results,
  };
  // Relative paths: a lake copied or moved to another path (and a checkout cloned elsewhere) still resolves.
  return relativeCatalogPaths(catalog, { dataDir: options.dataDir, transformsDir: project.dir });
}

/**
 * The columns of each named table or view, as `describe` shows them, in one catalog query instead of one
 * `describe` per node (which binds each view's whole query again: most of a small build's catalog time).
 * Names resolve as an unqualified name does: a temp object before the database's own.
 */
async function describeAll(connection: DuckDBConnection, names: string[]): Promise<Map<string, Row[]>> {
  const rows = await queryRows(
    connection,
    `select database_name = 'temp' as temp, table_name, column_name, data_type as column_type
     from duckdb_columns()
     where schema_name = 'main' and database_name in ('temp', current_database()) and lower(table_name) in (select lower(unnest(${sqlList(names)})))
     order by temp desc, table_name, column_index`,
  );
  const columns = new Map<string, Row[]>();
  const fromTemp = new Set<string>();
  const named = new Map(names.map((n) => [n.toLowerCase(), n]));
  for (const row of rows) {
    const table = named.get(String(row["table_name"]).toLowerCase())!;
    if (row["temp"]) fromTemp.add(table);
    else if (fromTemp.has(table)) continue;
    columns.set(table, [...(columns.get(table) ?? []), row]);
  }
  return columns;
}

export async function writeCatalog(path: string, catalog: Catalog): Promise<void> {
  await writeJsonAtomic(path, catalog);
}
