import { describeCheck, formatHours, type FreshnessReport } from "../core/contracts/freshness.ts";
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
