import type { DuckDBConnection } from "@duckdb/node-api";
import { readFile } from "node:fs/promises";
import { writeJsonAtomic } from "../cli/core/atomic.ts";
import { duckdbOptionsFor, withDuckdb } from "../cli/core/duckdb.ts";
import type { ColumnSpec } from "../cli/core/contracts/landing.ts";
import type { StageContext } from "../cli/core/contracts/stage-context.ts";
import { readLandingManifest } from "../cli/core/contracts/landing.ts";
import { buildCatalog, writeCatalog, type Catalog } from "./engine/catalog.ts";
import { collectTests, runTests, type TestResult } from "./engine/data-tests.ts";
import { buildGraph, selectModels, type Graph } from "./engine/graph.ts";
import { loadProject, type Project } from "./engine/project.ts";
import { rawTables, type RawTable } from "./engine/raw-sources.ts";
import { prepareSession, runModels, type ModelResult } from "./engine/runner.ts";

export type { TestResult } from "./engine/data-tests.ts";
export type { ModelResult } from "./engine/runner.ts";
export type { Catalog } from "./engine/catalog.ts";

export interface TransformContext extends StageContext {
  /** The models folder (default: transforms/ beside this file). */
  transformsDir?: string;
  /** Columns of each payments entity, so a payments source that never landed reads as an empty, typed table. */
  paymentColumns: Record<string, ColumnSpec[]>;
}

export interface TransformOptions {
  select?: string[];
  /** build: run the selected models and write marts; attach: use the marts already written (for `duckmart test`). */
  mode?: "build" | "attach";
  /** Also run the data tests of the selected models (and of the raw sources when nothing is selected). */
  test?: boolean;
}

export interface TransformSummary {
  asOf: string;
  models: ModelResult[];
  tests: TestResult[];
  durationMs: number;
  /** True when no error-severity test failed. */
  testsPassed: boolean;
}

/** Build the model graph in one in-memory DuckDB, optionally test it, and write the catalog. */
export async function transform(context: TransformContext, options: TransformOptions = {}): Promise<TransformSummary> {
  const started = Date.now();
  const { config, paths, logger } = context;
  const project = await loadProject(context.transformsDir);
  const raw = rawTables(paths, config.source, context.paymentColumns);
  const asOf = (await readLandingManifest(paths, config.source, "orders"))?.asOf ?? config.asOf;
  return withDuckdb(duckdbOptionsFor(config), async (connection) => {
    await prepareSession(connection, project, raw, { asOf, reportingCurrency: config.reportingCurrency });
    const graph = await buildGraph(
      connection,
      project,
      raw.map((r) => r.name),
    );
    const selected = selectModels(graph, options.select);
    const building = options.mode !== "attach";
    logger.start(`${building ? "Building" : "Attaching"} ${selected.length} models (as of ${asOf})`);
    const models = await runModels(connection, {
      project,
      graph,
      targets: selected,
      selected: building ? selected : [],
      raw,
      paths,
      logger,
      write: building,
    });
    let tests: TestResult[] = [];
    if (options.test) {
      const targets = options.select?.length
        ? selected
        : [...raw.filter((r) => r.exists).map((r) => r.name), ...project.seeds.keys(), ...selected];
      tests = await runTests(connection, collectTests(project, targets));
      await writeJsonAtomic(paths.testResults, { asOf, ranAt: new Date().toISOString(), results: tests });
    }
    await writeCatalog(
      paths.catalog,
      await catalogFor(connection, {
        project,
        graph,
        raw,
        asOf,
        source: config.source,
        tests: tests.length ? tests : await lastTestResults(paths.testResults),
      }),
    );
    return {
      asOf,
      models,
      tests,
      durationMs: Date.now() - started,
      testsPassed: !tests.some((t) => t.status === "fail" || t.status === "error"),
    };
  });
}

async function catalogFor(
  connection: DuckDBConnection,
  options: { project: Project; graph: Graph; raw: RawTable[]; asOf: string; source: string; tests: TestResult[] },
): Promise<Catalog> {
  const allTests = collectTests(options.project, [
    ...options.raw.map((r) => r.name),
    ...options.project.seeds.keys(),
    ...options.graph.order,
  ]);
  return buildCatalog(connection, { ...options, tests: allTests, results: options.tests });
}

async function lastTestResults(path: string): Promise<TestResult[]> {
  try {
    return (JSON.parse(await readFile(path, "utf8")) as { results: TestResult[] }).results;
  } catch {
    return [];
  }
}
