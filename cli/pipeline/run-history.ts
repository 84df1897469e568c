import { displayPath } from "../core/paths.ts";
import { formatDuration, formatTable } from "../core/table.ts";
import { listRuns, type RunManifest } from "../core/contracts/run-manifest.ts";

/** One line of `duckmart runs`: what a person (or a script, with --json) wants to know about a past run. */
export interface RunHistoryRow {
  runId: string;
  status: RunManifest["status"];
  startedAt: string;
  asOf: string;
  source: string;
  durationMs: number | null;
  /** Rows landed by the extract step (null when it did not run). */
  rowsLanded: number | null;
  buildId: string | null;
  /** Whether that build became current (false: a failed test or guard kept the previous one). */
  buildPromoted: boolean | null;
  failedStep: string | null;
  freshness: string | null;
  /** Alerts sent / failed to send after the run; kind is failure, digest or none. */
  alerts: { kind: string; sent: number; failed: number } | null;
}

export async function runHistory(runsDir: string, limit = 20): Promise<RunHistoryRow[]> {
  return (await listRuns(runsDir, limit)).map((run) => {
    const extract = run.steps.find((s) => s.name === "extract");
    return {
      runId: run.runId,
      status: run.status,
      startedAt: run.startedAt,
      asOf: run.asOf,
      source: run.source,
      durationMs: run.durationMs ?? null,
      rowsLanded: extract?.status === "ok" ? (extract.rows ?? null) : null,
      buildId: run.buildId ?? null,
      buildPromoted: run.buildId ? (run.buildPromoted ?? null) : null,
      failedStep: run.steps.find((s) => s.status === "failed")?.name ?? null,
      freshness: run.freshness?.status ?? null,
      alerts: run.alerts ? { kind: run.alerts.kind, sent: run.alerts.sent, failed: run.alerts.failed } : null,
    };
  });
}

export function formatRunHistory(rows: RunHistoryRow[], runsDir: string): string {
  if (rows.length === 0) return `No runs yet in ${displayPath(runsDir)}: \`duckmart run\` records each run there.`;
  return formatTable(
    rows.map((r) => ({
      run: r.runId,
      status: r.status.toUpperCase(),
      started: r.startedAt.replace("T", " ").slice(0, 19),
      duration: r.durationMs === null ? "" : formatDuration(r.durationMs),
      landed: r.rowsLanded,
      build: r.buildId ? `${r.buildId}${r.buildPromoted === false ? " (not current)" : ""}` : "",
      failed: r.failedStep ?? "",
      freshness: r.freshness ?? "",
      alerts: r.alerts
        ? r.alerts.kind === "none"
          ? "none"
          : `${r.alerts.kind}: ${r.alerts.sent} sent${r.alerts.failed ? `, ${r.alerts.failed} failed` : ""}`
        : "",
    })),
  );
}
