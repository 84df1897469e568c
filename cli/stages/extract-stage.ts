import { DuckmartError } from "../core/errors.ts";
import { formatDuration, formatTable } from "../core/table.ts";
import { extract, type ExtractSummary } from "../../extract/index.ts";
import type { CommandContext } from "../shared-args.ts";
import { withDataLock } from "../core/with-lock.ts";

/** `duckmart extract`: land the sources, print what landed, and fail (exit 1) if any entity failed. */
export async function runExtract(
  context: CommandContext,
  options: { sources?: string[]; fullRefresh?: boolean } = {},
): Promise<ExtractSummary> {
  const summary = await withDataLock(context, "extract", () =>
    extract({ ...context, fullRefresh: options.fullRefresh }, options.sources),
  );
  const rows = summary.sources.flatMap((s) => [
    ...s.landed.map((l) => ({
      source: l.source,
      entity: l.entity,
      status: "landed",
      snapshot: l.snapshot,
      rows: l.rowCount,
      drift: l.driftFields.join(", "),
    })),
    ...s.failed.map((f) => ({
      source: f.source,
      entity: f.entity,
      status: "FAILED",
      snapshot: "",
      rows: "",
      drift: "",
    })),
    ...(s.skipped ? [{ source: s.source, entity: "*", status: "skipped", snapshot: "", rows: "", drift: "" }] : []),
  ]);
  context.logger.info(`Extract finished in ${formatDuration(summary.durationMs)}\n${formatTable(rows)}`);
  if (!summary.ok) {
    const failures = summary.sources.flatMap((s) => s.failed);
    throw new DuckmartError(
      `Extract failed for ${failures.map((f) => `${f.source}/${f.entity}`).join(", ")}: ${failures[0]?.error.message}`,
      {
        cause: failures[0]?.error,
        hint:
          (failures[0]?.error as DuckmartError | undefined)?.hint ??
          "The current snapshots of the failed entities are kept.",
      },
    );
  }
  return summary;
}
