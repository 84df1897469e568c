import { duckdbOptionsFor, withDuckdb } from "../../cli/core/duckdb.ts";
import { DuckmartError, errorMessage } from "../../cli/core/errors.ts";
import { asOfSetting } from "../../cli/core/config.ts";
import { readLandingManifest, readSnapshotPointer } from "../../cli/core/contracts/landing.ts";
import {
  buildLayout,
  newBuildId,
  readBuildManifest,
  readBuildPointer,
  type BuildManifest,
  type BuildModel,
} from "../../cli/core/contracts/build-manifest.ts";
import { BuildWriter } from "./build-writer.ts";
import { finishBuild, testSession } from "./finish-build.ts";
import { projectFingerprint } from "./fingerprint.ts";
import { staleCarryOvers } from "./carry-over.ts";
import { guardBaseline } from "./guard-baseline.ts";
import { rowCountGuards, warnUnusedAccept } from "./guards.ts";
import type { Project } from "./project.ts";
import { chooseSources, rawTables } from "./raw-sources.ts";
import { configOrigin } from "../../cli/core/config.ts";
import { checkRawInputs, describeInputs, rawTablesForDay } from "./raw-inputs.ts";
import { applySnapshots } from "./snapshots/apply-snapshots.ts";
import { openGraph, prepareSession, runModels } from "./runner.ts";
import type { TransformContext, TransformOptions, TransformSummary } from "./transform-types.ts";

/**
 * Build mode: a new build under builds/<id>/ from the current snapshots of the chosen sources. Unselected marts
 * (`--select`) are linked from the current build when it read the same sources, as-of and inputs (else built too),
 * so every build holds every mart, all from one set of inputs. The row-count guards compare
 * with a build of the same sources and a comparable as-of. A failed model leaves the current build as it was.
 */
export async function buildModels(
  context: TransformContext,
  project: Project,
  options: TransformOptions,
): Promise<TransformSummary> {
  const started = Date.now();
  const { config, paths, logger } = context;
  const sources = chooseSources(config, paths);
  const current = rawTables(paths, sources.shop.source, context.paymentColumns, sources.payments);
  const replay = options.replayAsOf;
  if (!replay && !current.some((r) => r.source === sources.shop.source && r.exists))
    throw new DuckmartError(
      `Nothing has landed from ${sources.shop.source} in ${paths.root}: there is nothing to build`,
      {
        hint: `Run "duckmart extract --source ${sources.shop.source}" first (or "duckmart run", which extracts and builds).`,
      },
    );
  const raw = replay ? await rawTablesForDay(paths, current, replay, config.retention.rawDays) : current;
  const inputs = await describeInputs(paths, raw);
  const asOf = replay ?? (await readLandingManifest(paths, sources.shop.source, "orders"))?.asOf ?? config.asOf;
  // A deliberate as-of (a replay, or --as-of at extract) is not compared with builds of far-off days.
  const asOfSetBy = replay
    ? `${asOfSetting(config)} (a replay)`
    : readSnapshotPointer(paths, sources.shop.source, "orders")?.asOfSetBy;
  const pointer = await readBuildPointer(paths);
  const previous = pointer ? await readBuildManifest(paths, pointer.buildId) : undefined;
  if (sources.shop.lastExtracted && !replay && configOrigin(config, "source") !== "flag")
    logger.warn(
      `Building from ${sources.shop.source}, the configured source (${configOrigin(config, "source")}); the last extract was from ${sources.shop.lastExtracted}: add --source ${sources.shop.lastExtracted} to build that instead.`,
    );
  if (sources.payments === "stripe" && !raw.some((r) => r.source === "stripe" && r.exists))
    logger.warn('Stripe is configured but nothing has landed from it: run "duckmart extract --source stripe".');
  const writer = new BuildWriter(paths, {
    buildId: newBuildId(),
    status: "building",
    createdAt: new Date().toISOString(),
    asOf,
    ...(asOfSetBy ? { asOfSetBy } : {}),
    shopSource: sources.shop.source,
    shopSourceOrigin: sources.shop.origin,
    paymentsSource: sources.payments,
    inputs,
    modelsFingerprint: await projectFingerprint(project),
    models: [],
    ...(previous ? { previousBuildId: previous.buildId } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(replay ? { replayOf: replay } : {}),
  });
  await writer.start();
  try {
    return await withDuckdb(duckdbOptionsFor(config), async (connection) => {
      await checkRawInputs(connection, raw, inputs);
      const variables = {
        asOf,
        reportingCurrency: config.reportingCurrency,
        paymentsSource: sources.payments,
        shopSource: sources.shop.source,
      };
      await prepareSession(connection, project, raw, variables);
      const history = await applySnapshots(connection, context, project, raw, asOf, {
        fullRefresh: options.fullRefresh,
        shopSource: sources.shop.source,
      });
      for (const h of history.filter((r) => r.status === "applied"))
        logger.info(`snapshot ${h.name}: applied ${h.days.join(", ")}; ${h.rowCount} history rows`);
      writer.manifest.history = history.map((h) => ({
        snapshot: h.name,
        status: h.status,
        rowCount: h.rowCount,
        days: h.days,
      }));
      // The session is prepared (applySnapshots put the raw views back as they were): only the graph is left.
      const { graph, selected: chosen } = await openGraph(
        connection,
        project,
        raw,
        variables,
        options.select,
        paths,
        true,
      );
      const base = previous ? buildLayout(paths, previous.buildId) : undefined;
      const unselected = [...project.models.values()]
        .filter((m) => m.materialized === "table" && !chosen.includes(m.name))
        .map((m) => m.name);
      if (unselected.length && !base)
        throw new Error(
          `--select leaves ${unselected.join(", ")} unbuilt and there is no current build to take them from: run a full "duckmart transform" first`,
        );
      // Marts are carried over only from a build of the same sources, as-of and inputs (carry-over.ts).
      const stale = base
        ? staleCarryOvers(project, graph, unselected, previous!, base, writer.manifest)
        : new Map<string, string>();
      for (const reason of new Set(stale.values())) {
        const marts = [...stale.keys()].filter((m) => stale.get(m) === reason);
        const named = marts.length === unselected.length ? `every other mart (${marts.length})` : marts.join(", ");
        logger.warn(`--select: building ${named} too, not carried over: ${reason}`);
      }
      const selected = graph.order.filter((m) => chosen.includes(m) || stale.has(m));
      logger.start(
        `Building ${selected.length} models into build ${writer.manifest.buildId} (as of ${asOf}; shop ${sources.shop.source} [${sources.shop.origin}], payments ${sources.payments})`,
      );
      const models = await runModels(connection, {
        project,
        graph,
        // Every model, so the carried-over marts are queryable (as views over their Parquet) for the tests.
        targets: graph.order,
        selected,
        raw,
        martPath: writer.martPath,
        attachPath: (model) => base?.mart(model),
        logger,
        write: true,
      });
      const built = models.filter((m) => m.materialized === "table" && m.status === "built");
      const reused = [...project.models.values()].filter(
        (m) => m.materialized === "table" && !built.some((b) => b.name === m.name),
      );
      for (const m of reused) await writer.reuse(m.name, base!);
      const buildModelsList: BuildModel[] = [
        ...built.map((m) => ({ name: m.name, rowCount: m.rowCount ?? 0 })),
        ...reused.map((m) => ({
          name: m.name,
          rowCount: previous?.models.find((p) => p.name === m.name)?.rowCount ?? 0,
          reusedFrom: previous!.buildId,
        })),
      ];
      // Guards compare like with like: the same sources, and a comparable as-of (guard-baseline.ts).
      const baseline = await guardBaseline(paths, writer.manifest, pointer?.buildId);
      const { guards, accepted } = rowCountGuards(
        project,
        buildModelsList.filter((m) => !m.reusedFrom),
        baseline,
        options.acceptRowDrop,
      );
      warnUnusedAccept(logger, options.acceptRowDrop, guards);
      if (baseline.build && !baseline.record.shrink)
        logger.info(`Row-count guards: ${baseline.record.reason} (against build ${baseline.build.buildId})`);
      const manifest: BuildManifest = {
        ...writer.manifest,
        models: buildModelsList,
        guards,
        guardBaseline: baseline.record,
        ...(accepted ? { rowDropAccepted: accepted } : {}),
      };
      writer.manifest = manifest;
      const session = { connection, project, graph, raw, manifest, selected, options };
      const tests = options.test ? await testSession(session) : [];
      return finishBuild(context, session, {
        files: { catalog: writer.catalogPath(), testResults: writer.testResultsPath() },
        tests,
        models,
        started,
        save: (settled) => writer.complete(settled),
      });
    });
  } catch (error) {
    if (!(await readBuildManifest(paths, writer.manifest.buildId))) await writer.fail(errorMessage(error));
    throw error;
  }
}
