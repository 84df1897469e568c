import { readFile } from "node:fs/promises";
import { writeJsonAtomic } from "../../cli/core/atomic.ts";
import { readBuildManifest, type BuildManifest } from "../../cli/core/contracts/build-manifest.ts";
import { promoteBuild, pruneBuilds } from "../../cli/core/build-promotion.ts";
import { buildCatalog, writeCatalog, type Catalog } from "./catalog.ts";
import { collectTests, runTests, type TestResult } from "./data-tests.ts";
import type { ModelResult } from "./runner.ts";
import type { Session, TransformContext, TransformSummary } from "./transform-types.ts";
import { piiColumnNames } from "./pii.ts";

/** The data tests of the selection (plus raw sources and seeds for a full run), after the build's row-count guards. */
export async function testSession(session: Session): Promise<TestResult[]> {
  const { connection, project, raw, selected, options } = session;
  const targets = options.select?.length
    ? selected
    : [
        ...raw.filter((r) => r.exists).map((r) => r.name),
        ...project.seeds.keys(),
        ...project.snapshots.keys(),
        ...selected,
      ];
  return [
    ...(session.manifest.guards ?? []),
    ...(await runTests(connection, collectTests(project, targets), piiColumnNames(project))),
  ];
}

/**
 * Write the build's catalog and test results, settle its status (failed when an error-severity check failed,
 * passed when tests ran, else built), save build.json through `save`, and promote the build when it qualifies.
 */
export async function finishBuild(
  context: TransformContext,
  session: Session,
  out: {
    files: { catalog: string; testResults: string };
    tests: TestResult[];
    models: ModelResult[];
    started: number;
    save: (manifest: BuildManifest) => Promise<void>;
  },
): Promise<TransformSummary> {
  const { paths, logger, config } = context;
  const { manifest, options } = session;
  const failedChecks = [
    ...new Set(
      [...(manifest.guards ?? []), ...out.tests]
        .filter((t) => t.severity === "error" && (t.status === "fail" || t.status === "error"))
        .map((t) => t.id),
    ),
  ];
  if (out.tests.length)
    await writeJsonAtomic(out.files.testResults, {
      buildId: manifest.buildId,
      asOf: manifest.asOf,
      ranAt: new Date().toISOString(),
      results: out.tests,
    });
  const results = out.tests.length ? out.tests : await lastTestResults(out.files.testResults);
  await writeCatalog(out.files.catalog, await catalogFor(session, results, paths.root));
  const status = failedChecks.length
    ? "failed"
    : out.tests.length
      ? "passed"
      : manifest.status === "building"
        ? "built"
        : manifest.status;
  const settled: BuildManifest = {
    ...manifest,
    status,
    failedChecks,
    ...(options.runId ? { runId: options.runId } : {}),
  };
  await out.save(settled);
  const wanted = options.mode === "attach" ? options.promote === true : options.promote !== false;
  let promoted = false;
  if (wanted && !failedChecks.length) {
    await promoteBuild(paths, settled.buildId);
    promoted = true;
    const removed = await pruneBuilds(paths, config.retention.builds);
    if (removed.length)
      logger.info(`Removed ${removed.length} old build(s) (retention.builds = ${config.retention.builds})`);
  }
  return {
    asOf: manifest.asOf,
    models: out.models,
    tests: out.tests,
    durationMs: Date.now() - out.started,
    testsPassed: !failedChecks.length,
    build: (await readBuildManifest(paths, settled.buildId)) ?? settled,
    promoted,
  };
}

async function catalogFor(session: Session, results: TestResult[], dataDir: string): Promise<Catalog> {
  const { project, graph, raw, manifest, connection } = session;
  const allTests = collectTests(project, [...raw.map((r) => r.name), ...project.seeds.keys(), ...graph.order]);
  const catalog = await buildCatalog(connection, {
    project,
    graph,
    raw,
    asOf: manifest.asOf,
    source: manifest.shopSource,
    tests: allTests,
    results,
    dataDir,
  });
  return { ...catalog, buildId: manifest.buildId, paymentsSource: manifest.paymentsSource };
}

async function lastTestResults(path: string): Promise<TestResult[]> {
  try {
    return (JSON.parse(await readFile(path, "utf8")) as { results: TestResult[] }).results;
  } catch {
    return [];
  }
}
