import { DuckmartError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { formatDuration, formatTable } from "../core/table.ts";
import { transform, type TestResult, type TransformSummary } from "../../transforms/index.ts";
import { paymentEntityColumns } from "../../extract/index.ts";
import type { TransformContext } from "../../transforms/index.ts";
import type { CommandContext } from "../shared-args.ts";
import { withDataLock } from "../core/with-lock.ts";

/**
 * `duckmart transform`: build every model into a new build, run the row-count guards and the data tests on it,
 * and make it current only when every error-severity check passed. `candidate` (inside `duckmart run`): build
 * and guard only; the test step tests the candidate and promotes it.
 */
export async function runTransform(
  context: CommandContext,
  options: {
    select?: string[];
    candidate?: boolean;
    runId?: string;
    replayAsOf?: string;
    fullRefresh?: boolean;
    /** `--accept-row-drop`: marts whose row-count guard failure this build accepts. */
    acceptRowDrop?: string[];
  } = {},
): Promise<TransformSummary> {
  const command = options.runId ? "run" : "transform";
  const accept = options.acceptRowDrop?.length
    ? {
        marts: options.acceptRowDrop,
        by: `duckmart ${command} --accept-row-drop ${options.acceptRowDrop.join(",")}`,
        ...(options.runId ? { runId: options.runId } : {}),
      }
    : undefined;
  return withDataLock(context, "transform", async () => {
    const summary = await transform(withPayments(context), {
      acceptRowDrop: accept,
      select: options.select,
      mode: "build",
      test: !options.candidate,
      promote: !options.candidate,
      runId: options.runId,
      replayAsOf: options.replayAsOf,
      fullRefresh: options.fullRefresh,
    });
    reportHistory(context.logger, summary);
    const rows = summary.models
      .filter((m) => m.materialized === "table" && m.status === "built")
      .map((m) => ({ mart: m.name, rows: m.rowCount, time: formatDuration(m.durationMs) }));
    context.logger.success(
      `Transform finished in ${formatDuration(summary.durationMs)} (${summary.models.length} models)\n${formatTable(rows)}`,
    );
    if (summary.tests.length) reportTests(context.logger, summary.tests);
    if (!options.candidate) reportBuild(context.logger, summary);
    if (!summary.testsPassed && !options.candidate) throw checksFailed(summary);
    return summary;
  });
}

/**
 * Run the data tests on a build (the current one, or `buildId`) and record the results in it; with `promote`,
 * make it current when every error-severity check passed. `failure` says what failed, if anything.
 */
export async function testMarts(
  context: CommandContext,
  options: { select?: string[]; verbose?: boolean; buildId?: string; promote?: boolean; runId?: string } = {},
): Promise<TransformSummary & { failure?: string; counts: string }> {
  return withDataLock(context, "test", async () => {
    const summary = await transform(withPayments(context), {
      select: options.select,
      mode: "attach",
      test: true,
      buildId: options.buildId,
      promote: options.promote,
      runId: options.runId,
    });
    const counts = reportTests(context.logger, summary.tests, options.verbose);
    if (options.promote) reportBuild(context.logger, summary, options.verbose);
    const failed = summary.tests.filter((t) => t.severity === "error" && (t.status === "fail" || t.status === "error"));
    return {
      ...summary,
      counts,
      failure: failed.length
        ? `${failed.length} data test(s) failed on build ${summary.build.buildId}: ${failed.map((t) => t.id).join(", ")}`
        : undefined,
    };
  });
}

/** `duckmart test`: exit 1 when an error-severity test fails. */
export async function runDataTests(
  context: CommandContext,
  options: { select?: string[]; verbose?: boolean; buildId?: string } = {},
): Promise<TransformSummary> {
  const summary = await testMarts(context, options);
  if (summary.failure) {
    throw new DuckmartError(summary.failure, {
      hint: 'See the failing rows above. Fix the data or the model, then run "duckmart transform" again.',
    });
  }
  return summary;
}

/** What the snapshots did: the days applied to history, or that it was already up to date. */
function reportHistory(logger: Logger, summary: TransformSummary): void {
  const history = summary.build.history ?? [];
  const applied = history.filter((h) => h.status === "applied");
  if (summary.build.replayOf)
    logger.info(
      `Replay of ${summary.build.replayOf}: built from the raw snapshots current that day; history read as of that day`,
    );
  if (applied.length)
    logger.info(
      `History: ${applied.map((h) => `${h.snapshot} ${h.days.join(", ")} (${h.rowCount.toLocaleString("en-US")} rows)`).join("; ")}`,
    );
  else if (history.length) logger.info(`History: up to date for ${summary.build.asOf}`);
}

/** Which build, from which sources, and whether it became current; with `verbose`, every input snapshot. */
export function reportBuild(logger: Logger, summary: TransformSummary, verbose = false): void {
  const b = summary.build;
  const inputs = b.inputs
    .filter((i) => i.snapshot)
    .map((i) => ({ input: i.name, source: i.source, snapshot: i.snapshot, rows: i.rowCount }));
  const line = `Build ${b.buildId}: shop ${b.shopSource} (${b.shopSourceOrigin}), payments ${b.paymentsSource === "none" ? "none configured" : b.paymentsSource}, as of ${b.asOf}`;
  if (summary.promoted) logger.success(`${line}; now current${verbose ? `\n${formatTable(inputs)}` : ""}`);
  else if (b.status === "failed")
    logger.error(
      `${line}; NOT current (failed: ${b.failedChecks?.join(", ") || b.error}); the current build is unchanged`,
    );
  else logger.info(`${line}; ${b.status}, not current yet`);
}

function checksFailed(summary: TransformSummary): DuckmartError {
  const failed = summary.build.failedChecks ?? [];
  return new DuckmartError(
    `Build ${summary.build.buildId} failed ${failed.length} error-severity check(s): ${failed.join(", ")}; the current build is unchanged`,
    {
      hint: `See the failures above. Fix the data or the model and transform again.${acceptHint(failed, "transform")}`,
    },
  );
}

/**
 * For failed row-count guards: the one-off override, with the marts to name, and the lasting one. Empty when no
 * guard failed.
 */
export function acceptHint(failedChecks: string[], command: "transform" | "run"): string {
  const marts = failedChecks
    .filter((c) => c.endsWith(".row_count_guard"))
    .map((c) => c.replace(/\.row_count_guard$/, ""));
  if (!marts.length) return "";
  return ` If the drop is expected (e.g. a deliberate change of data or as-of), accept it for this build only with "duckmart ${command} --accept-row-drop ${marts.join(",")}" (recorded in build.json), or for every build with guards.row_count in the mart's yml.`;
}

/** Counts always; the table of every test with `verbose` or when one failed; each failure with its rows. */
export function reportTests(logger: Logger, results: TestResult[], verbose = false): string {
  const rows = results.map((t) => ({
    model: t.model,
    column: t.column ?? "",
    test: t.description,
    status: t.status.toUpperCase(),
    failing: t.failingRows,
  }));
  const counts = ["pass", "warn", "fail", "error"]
    .map((s) => `${results.filter((t) => t.status === s).length} ${s}`)
    .join(", ");
  const failed = results.some((t) => t.status === "fail" || t.status === "error");
  if (verbose || failed) (failed ? logger.error : logger.info)(`Data tests: ${counts}\n${formatTable(rows)}`);
  else logger.success(`Data tests: ${counts}`);
  for (const t of results.filter((r) => r.status !== "pass")) {
    const where = `${t.model}${t.column ? `.${t.column}` : ""}`;
    const detail = t.message
      ? `error: ${t.message}`
      : `${t.failingRows} failing row(s); first ${t.samples.length}:\n${formatTable(t.samples, undefined, { exact: true })}`;
    (t.status === "warn" ? logger.warn : logger.error)(
      `${t.status === "warn" ? "Warning" : "Failed"}: ${t.kind} on ${where} (${t.description})\n${detail}`,
    );
  }
  return counts;
}

/** `duckmart docs`: rewrite the current build's catalog from the models, their yml and the last test results. */
export async function runDocs(context: CommandContext): Promise<void> {
  await withDataLock(context, "docs", () => transform(withPayments(context), { mode: "attach" }));
  context.logger.success(`Wrote ${context.paths.catalog}`);
}

/** Transforms read an absent payments source as empty tables of the shape extract would land. */
export function withPayments(context: CommandContext): TransformContext {
  return { ...context, paymentColumns: paymentEntityColumns() };
}
