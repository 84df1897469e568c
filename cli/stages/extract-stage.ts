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
  if (!summary.ok) throw extractFailure(summary.sources.flatMap((s) => s.failed));
  return summary;
}

/**
 * One error for all failed entities: entities that failed the same way (an unresolved host fails every one) share
 * one line, so the cause is said once; different causes each get theirs.
 */
function extractFailure(failures: ExtractSummary["sources"][number]["failed"]): DuckmartError {
  const byMessage = new Map<string, typeof failures>();
  for (const f of failures) byMessage.set(f.error.message, [...(byMessage.get(f.error.message) ?? []), f]);
  const names = (list: typeof failures) => list.map((f) => `${f.source}/${f.entity}`).join(", ");
  // "dummyjson/users: dummyjson/users: record id=2 ..." says the entity twice: an error that names it keeps its own.
  const line = (m: string, list: typeof failures) => (m.startsWith(`${names(list)}: `) ? m : `${names(list)}: ${m}`);
  const groups = [...byMessage.entries()];
  const message =
    groups.length === 1
      ? `Extract failed: ${line(groups[0]![0], failures)}`
      : `Extract failed for ${failures.length} entities:\n${groups.map(([m, list]) => `  ${line(m, list)}`).join("\n")}`;
  const hints = [
    ...new Set(groups.map(([, list]) => (list[0]!.error as DuckmartError).hint).filter((h): h is string => !!h)),
  ];
  return new DuckmartError(message, {
    cause: failures[0]?.error,
    hint: hints.length ? hints.join(" ") : "The current snapshots of the failed entities are kept.",
  });
}
