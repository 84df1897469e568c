import { describeCheck, formatHours, type FreshnessCheck, type FreshnessReport } from "../core/contracts/freshness.ts";
import { asOfSetting } from "../core/config.ts";
import type { DuckmartConfig } from "../core/config-schema.ts";
import { formatTable } from "../core/table.ts";
import { checkFreshness, type FreshnessOptions } from "../../transforms/index.ts";
import type { CommandContext } from "../shared-args.ts";
import { withPayments } from "./transform-stage.ts";

/** Check freshness against sources.yml and print the table; warnings and errors are logged one per line too. */
export async function runFreshness(context: CommandContext, options: FreshnessOptions = {}): Promise<FreshnessReport> {
  const report = await checkFreshness(withPayments(context), options);
  const { logger } = context;
  if (report.checks.length === 0) {
    logger.info("No freshness limits: add `freshness:` to raw tables in transforms/sources.yml.");
    return report;
  }
  const summary = `Freshness: ${report.status.toUpperCase()}\n${formatFreshness(report)}`;
  if (report.status === "error") logger.error(summary);
  else if (report.status === "warn") logger.warn(summary);
  else logger.success(summary);
  return report;
}

/** The table `duckmart freshness` prints: entity, what is measured, age, limit, status. */
export function formatFreshness(report: FreshnessReport): string {
  return formatTable(
    report.checks.map((c) => ({
      entity: c.table,
      source: `${c.source}/${c.entity}`,
      measure: c.measure === "extracted" ? "extracted" : `newest ${c.column}`,
      age: c.ageHours === undefined ? "-" : formatHours(c.ageHours),
      limit: [
        c.warnAfterHours === undefined ? undefined : `warn ${formatHours(c.warnAfterHours)}`,
        c.errorAfterHours === undefined ? undefined : `error ${formatHours(c.errorAfterHours)}`,
      ]
        .filter(Boolean)
        .join(", "),
      status: c.status.toUpperCase(),
      detail: c.detail ?? "",
    })),
  );
}

/** The failure a run records when a check is past error_after, naming each one. */
export function freshnessFailure(report: FreshnessReport): string | undefined {
  const errors = report.checks.filter((c) => c.status === "error");
  return errors.length ? `Freshness past error_after: ${errors.map(describeCheck).join("; ")}` : undefined;
}

/**
 * What to do when a files source's newest event is past error_after. An export is historical: its default as-of is
 * its newest order date, so the check fails only for an as-of set later than that, and re-extracting cannot help.
 * Undefined for any other failure (the caller's general hint applies).
 */
export function freshnessHint(
  report: FreshnessReport,
  config: DuckmartConfig,
  command: "run" | "freshness",
): string | undefined {
  const check = report.checks.find(
    (c): c is FreshnessCheck & { observedAt: string; asOf: string } =>
      c.status === "error" && c.measure === "newest_event" && c.source === "files" && !!c.observedAt && !!c.asOf,
  );
  if (!check) return undefined;
  const newest = check.observedAt.slice(0, 10);
  // The age the check measured (and its message shows): at the end of the as-of day, or at the extraction when the
  // as-of had not come yet then.
  const age = formatHours(check.ageHours ?? 0);
  const atAsOfEnd = Date.parse(check.referenceAt) >= Date.parse(`${check.asOf}T00:00:00Z`) + 86_400_000;
  const extracted = check.referenceAt.slice(0, 10);
  const measured = atAsOfEnd
    ? `is ${age} old at the end of the as-of ${check.asOf}`
    : `was ${age} old when it was extracted on ${extracted}, for the as-of ${check.asOf}`;
  // The standalone check runs without the as-of the data was extracted with: name the flag then.
  const setting = config.asOf === check.asOf ? asOfSetting(config) : "--as-of";
  const why = `${check.table} comes from an order export whose newest ${check.column} (${newest}) ${measured}`;
  if (command === "run")
    return `${why} (set by ${setting}). To build as of the export's newest order date, leave out ${setting} (a files source's as-of is then that date); to build as of ${check.asOf} anyway, add --skip freshness. The marts, warehouse and site were left as they were.`;
  return `${why}${atAsOfEnd ? " it was extracted for" : ""}. Extract it again without ${setting} (a files source's as-of is then its newest order date), or build as of ${check.asOf} anyway: \`duckmart transform\` (it does not check freshness) or \`duckmart run --as-of ${check.asOf} --skip freshness\`.`;
}
