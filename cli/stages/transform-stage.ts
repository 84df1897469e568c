import { DuckmartError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { formatDuration, formatTable } from "../core/table.ts";
import { transform, type TestResult, type TransformSummary } from "../../transforms/index.ts";
import { paymentEntityColumns } from "../../extract/index.ts";
import type { TransformContext } from "../../transforms/index.ts";
import type { CommandContext } from "../shared-args.ts";

/** `duckmart transform`: build the selected models and write the marts. */
export async function runTransform(
  context: CommandContext,
  options: { select?: string[] } = {},
): Promise<TransformSummary> {
  const summary = await transform(withPayments(context), { select: options.select, mode: "build" });
  const rows = summary.models
    .filter((m) => m.materialized === "table" && m.status === "built")
    .map((m) => ({ mart: m.name, rows: m.rowCount, time: formatDuration(m.durationMs) }));
  context.logger.success(
    `Transform finished in ${formatDuration(summary.durationMs)} (${summary.models.length} models)\n${formatTable(rows)}`,
  );
  return summary;
}

/** Run the data tests against the marts already built and print them; `failure` says what failed, if anything. */
export async function testMarts(
  context: CommandContext,
  options: { select?: string[]; verbose?: boolean } = {},
): Promise<TransformSummary & { failure?: string; counts: string }> {
  const summary = await transform(withPayments(context), { select: options.select, mode: "attach", test: true });
  const counts = reportTests(context.logger, summary.tests, options.verbose);
  const failed = summary.tests.filter((t) => t.status === "fail" || t.status === "error");
  return {
    ...summary,
    counts,
    failure: failed.length ? `${failed.length} data test(s) failed: ${failed.map((t) => t.id).join(", ")}` : undefined,
  };
}

/** `duckmart test`: exit 1 when an error-severity test fails. */
export async function runDataTests(
  context: CommandContext,
  options: { select?: string[]; verbose?: boolean } = {},
): Promise<TransformSummary> {
  const summary = await testMarts(context, options);
  if (summary.failure) {
    throw new DuckmartError(summary.failure, {
      hint: "See the failing rows above. Fix the data or the model; the marts were written but should not be exported.",
    });
  }
  return summary;
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
      : `${t.failingRows} failing row(s); first ${t.samples.length}:\n${formatTable(t.samples)}`;
    (t.status === "warn" ? logger.warn : logger.error)(
      `${t.status === "warn" ? "Warning" : "Failed"}: ${t.kind} on ${where} (${t.description})\n${detail}`,
    );
  }
  return counts;
}

/** `duckmart docs`: write data/catalog.json from the models, their yml and the last test results. */
export async function runDocs(context: CommandContext): Promise<void> {
  await transform(withPayments(context), { mode: "attach" });
  context.logger.success(`Wrote ${context.paths.catalog}`);
}

/** Transforms read an absent payments source as empty tables of the shape extract would land. */
function withPayments(context: CommandContext): TransformContext {
  return { ...context, paymentColumns: paymentEntityColumns() };
}
