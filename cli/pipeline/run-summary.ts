import { formatDuration, formatTable } from "../core/table.ts";
import type { RunManifest } from "../core/contracts/run-manifest.ts";

export function formatRunSummary(manifest: RunManifest): string {
  const rows = manifest.steps.map((s) => ({
    step: s.name,
    status: s.status.toUpperCase(),
    time: s.durationMs === undefined ? "" : formatDuration(s.durationMs),
    rows: s.rows,
    detail: s.error ?? s.reason ?? "",
  }));
  return `Run ${manifest.runId}: ${manifest.status.toUpperCase()} in ${formatDuration(manifest.durationMs ?? 0)} (as of ${manifest.asOf})\n${formatTable(rows)}`;
}
