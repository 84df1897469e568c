import { duckdbOptionsFor, withDuckdb } from "../cli/core/duckdb.ts";
import { resolveBuild, writeBuildManifest } from "../cli/core/contracts/build-manifest.ts";
import { buildModels } from "./engine/build.ts";
import { finishBuild, testSession } from "./engine/finish-build.ts";
import { loadProject, type Project } from "./engine/project.ts";
import { rawTables } from "./engine/raw-sources.ts";
import { rawTablesOf } from "./engine/raw-inputs.ts";
import { openGraph, runModels } from "./engine/runner.ts";
import type { TransformContext, TransformOptions, TransformSummary } from "./engine/transform-types.ts";

export type { TestResult } from "./engine/data-tests.ts";
export type { ModelResult } from "./engine/runner.ts";
export type { Catalog } from "./engine/catalog.ts";
export type { TransformContext, TransformOptions, TransformSummary } from "./engine/transform-types.ts";

/**
 * Build mode (default): run the models in one in-memory DuckDB into a new build, check it, and make it current
 * when it qualifies. Attach mode: use an existing build (`duckmart test`, `duckmart docs`).
 */
export async function transform(context: TransformContext, options: TransformOptions = {}): Promise<TransformSummary> {
  const project = await loadProject(context.transformsDir);
  return options.mode === "attach" ? attach(context, project, options) : buildModels(context, project, options);
}

/** Test an existing build against the snapshots it was built from; record the results in it; promote when asked. */
async function attach(
  context: TransformContext,
  project: Project,
  options: TransformOptions,
): Promise<TransformSummary> {
  const started = Date.now();
  const { config, paths, logger } = context;
  const { layout, manifest } = await resolveBuild(paths, options.buildId, { allowFailed: true });
  const raw = rawTablesOf(
    paths,
    manifest.inputs,
    rawTables(paths, manifest.shopSource, context.paymentColumns, manifest.paymentsSource),
  );
  return withDuckdb(duckdbOptionsFor(config), async (connection) => {
    const { graph, selected } = await openGraph(
      connection,
      project,
      raw,
      {
        asOf: manifest.asOf,
        reportingCurrency: config.reportingCurrency,
        paymentsSource: manifest.paymentsSource,
        shopSource: manifest.shopSource,
      },
      options.select,
      paths,
    );
    logger.start(`Attaching ${selected.length} models of build ${manifest.buildId} (as of ${manifest.asOf})`);
    const models = await runModels(connection, {
      project,
      graph,
      // Every model, so a selected mart's tests see the marts it relates to (relationships to dim_customers, ...).
      targets: graph.order,
      selected: [],
      raw,
      martPath: layout.mart,
      attachPath: layout.mart,
      logger,
      write: false,
    });
    const session = { connection, project, graph, raw, manifest, selected, options };
    return finishBuild(context, session, {
      files: { catalog: layout.catalog, testResults: layout.testResults },
      tests: options.test ? await testSession(session) : [],
      models,
      started,
      save: (settled) => writeBuildManifest(layout.manifest, settled),
    });
  });
}

export { checkFreshness, type FreshnessOptions } from "./freshness/check-freshness.ts";
