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
  const build = manifest.buildId
    ? `\nBuild ${manifest.buildId} (${manifest.buildPromoted ? "now current" : "not current: the previous build stays published"}): shop ${manifest.source}, payments ${manifest.paymentsSource === "none" ? "none configured" : (manifest.paymentsSource ?? "?")}`
    : "";
  return `Run ${manifest.runId}: ${manifest.status.toUpperCase()} in ${formatDuration(manifest.durationMs ?? 0)} (as of ${manifest.asOf})${build}\n${formatTable(rows)}`;
}
