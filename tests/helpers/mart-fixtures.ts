import { mkdir, writeFile, readFile, rename } from "node:fs/promises";
import { buildLayout, writeBuildManifest, type BuildManifest } from "../../cli/core/contracts/build-manifest.ts";
import { promoteBuild } from "../../cli/core/build-promotion.ts";
import { existsSync } from "node:fs";
import pg from "pg";
import { postgresUrl as pgUrl } from "./services.ts";
import { quoteLiteral, withDuckdb, queryRows } from "../../cli/core/duckdb.ts";
import type { Catalog, CatalogNode } from "../../cli/core/contracts/catalog.ts";
import type { TestLake } from "./test-lake.ts";

export { postgresUrl as pgUrl } from "./services.ts";

/** The one build fixture marts go into (made current, so the stable paths and `duckmart sync` see it). */
export const fixtureBuildId = "b-20261124-000000-0000";

async function fixtureBuild(lake: TestLake, buildId = fixtureBuildId) {
  const layout = buildLayout(lake.paths, buildId);
  if (!existsSync(layout.manifest)) {
    await mkdir(layout.martsDir, { recursive: true });
    const manifest: BuildManifest = {
      buildId,
      status: "passed",
      createdAt: "2026-11-24T00:00:00.000Z",
      asOf: "2026-11-24",
      shopSource: "sample",
      shopSourceOrigin: "default",
      paymentsSource: "sample",
      inputs: [],
      modelsFingerprint: "fixture",
      models: [],
    };
    await writeBuildManifest(layout.manifest, manifest);
    await promoteBuild(lake.paths, buildId);
  }
  return layout;
}

/** Write a mart Parquet from SQL into the fixture build and register it in its catalog.json with its declared keys and sync mode. */
export async function createMart(
  lake: TestLake,
  name: string,
  sql: string,
  options: {
    key?: string;
    /** Foreign-key columns (to a table "other" the sync does not publish). */
    relationships?: string[];
    /** Foreign keys to other marts: column -> "model.column". */
    references?: Record<string, string>;
    /** Columns tagged pii. */
    pii?: string[];
    /** The build the mart goes into (made current); default the one fixture build. */
    buildId?: string;
    description?: string;
    sync?: "full" | "incremental";
  } = {},
): Promise<void> {
  const layout = await fixtureBuild(lake, options.buildId);
  const path = layout.mart(name);
  const described = await withDuckdb({}, async (c) => {
    // A new file each time (builds are immutable to readers): write beside it, then rename over.
    await c.run(`copy (${sql}) to ${quoteLiteral(`${path}.new`)} (format parquet)`);
    await rename(`${path}.new`, path);
    return queryRows(
      c,
      `select column_name, column_type from (describe select * from read_parquet(${quoteLiteral(path)}))`,
    );
  });
  const node: CatalogNode = {
    name,
    kind: "model",
    layer: "marts",
    group: "core",
    materialized: "table",
    description: options.description ?? `Test mart ${name}.`,
    path: "",
    tags: [],
    dependsOn: [],
    tests: [],
    primaryKey: options.key ? [options.key] : [],
    foreignKeys: [
      ...(options.relationships ?? []).map((column) => ({
        columns: [column],
        references: { model: "other", columns: ["id"] },
      })),
      ...Object.entries(options.references ?? {}).map(([column, target]) => ({
        columns: [column],
        references: { model: target.split(".")[0]!, columns: [target.split(".")[1]!] },
      })),
    ],
    sync: options.sync === "incremental" ? { mode: "incremental", uniqueKey: [options.key!] } : { mode: "full" },
    columns: described.map((d) => {
      const column = String(d["column_name"]);
      const tests =
        column === options.key
          ? [`${name}.${column}.unique`, `${name}.${column}.not_null`]
          : options.relationships?.includes(column)
            ? [`${name}.${column}.relationships.other`]
            : [];
      return {
        name: column,
        type: String(d["column_type"]),
        description: `The ${column} column.`,
        pii: options.pii?.includes(column) ?? false,
        tags: [],
        tests,
      };
    }),
  };
  const catalog: Catalog = existsSync(layout.catalog)
    ? JSON.parse(await readFile(layout.catalog, "utf8"))
    : { generatedAt: "", asOf: "2026-11-24", source: "sample", nodes: [], edges: [], tests: [] };
  catalog.nodes = [...catalog.nodes.filter((n) => n.name !== name), node];
  await writeFile(layout.catalog, JSON.stringify(catalog));
}

/** A Postgres client on its own schema, dropped by `drop()`. */
export async function pgSchema(prefix: string): Promise<{ schema: string; client: pg.Client; drop(): Promise<void> }> {
  const schema = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query("set time zone 'UTC'");
  return {
    schema,
    client,
    async drop() {
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}

export async function tableOidOf(client: pg.Client, schema: string, table: string): Promise<string> {
  return (await client.query(`select ('"${schema}"."${table}"')::regclass::oid::text as oid`)).rows[0].oid;
}
