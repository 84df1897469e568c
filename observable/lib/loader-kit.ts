import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, quoteIdent, quoteLiteral, withDuckdb, type Row } from "../../cli/core/duckdb.ts";
import type { Catalog } from "../../cli/core/contracts/catalog.ts";
import type { BuildManifest } from "../../cli/core/contracts/build-manifest.ts";
import { assertNoPii as assertNoPiiIn, piiColumns } from "../site-data/site-data-kit.ts";
import { redactDeep, registerSecretsFromEnv } from "../../cli/core/redact.ts";

// The secrets `duckmart site build` knows (from its config), so loader output is redacted like everything else.
registerSecretsFromEnv();

/** The lake the site reads: DUCKMART_DATA_DIR, set by `duckmart site build`. */
export const dataDir = resolve(process.env["DUCKMART_DATA_DIR"] ?? join(import.meta.dirname, "..", "..", "data"));

/** The build the site shows: DUCKMART_BUILD_DIR (set by `duckmart site build`), else the lake's current build. */
export const buildDir = resolve(process.env["DUCKMART_BUILD_DIR"] ?? currentBuildDir());

function currentBuildDir(): string {
  try {
    const pointer = JSON.parse(readFileSync(join(dataDir, "builds", "current.json"), "utf8")) as { buildId: string };
    return join(dataDir, "builds", pointer.buildId);
  } catch {
    return dataDir;
  }
}

export function readCatalogSync(): Catalog {
  return JSON.parse(readFileSync(join(buildDir, "catalog.json"), "utf8")) as Catalog;
}

/** The build manifest (build.json) of the build shown, or null for a lake without builds. */
export function readBuildSync(): BuildManifest | null {
  const path = join(buildDir, "build.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as BuildManifest) : null;
}

/** Open DuckDB with every mart as a view over its Parquet. */
export async function withMarts<T>(
  work: (q: (sql: string) => Promise<Row[]>, connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  return withDuckdb({ memoryLimit: process.env["DUCKMART_MEMORY_LIMIT"] ?? "1GB" }, async (connection) => {
    const catalog = readCatalogSync();
    for (const node of catalog.nodes.filter((n) => n.kind === "model" && n.materialized === "table")) {
      const path = join(buildDir, "marts", `${node.name}.parquet`);
      if (existsSync(path))
        await connection.run(
          `create view ${quoteIdent(node.name)} as select * from read_parquet(${quoteLiteral(path)})`,
        );
    }
    await connection.run(`set variable as_of = $1::date`, [catalog.asOf]);
    return work((sql) => queryRows(connection, sql), connection);
  });
}

/** Fail the build when a loader would publish a column tagged pii (the one privacy guard, site-data-kit.ts). */
export function assertNoPii(loader: string, value: unknown): void {
  assertNoPiiIn(loader, value, piiColumns(readCatalogSync()));
}

/**
 * Write a loader's JSON to stdout after the privacy guard and the redaction (the site is public);
 * numbers are rounded to keep payloads small.
 */
export function emitJson(loader: string, value: unknown): void {
  assertNoPii(loader, value);
  process.stdout.write(
    JSON.stringify(redactDeep(value), (_k, v: unknown) =>
      typeof v === "number" && !Number.isInteger(v) ? Math.round(v * 100) / 100 : v,
    ),
  );
}
