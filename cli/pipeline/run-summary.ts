import { resolve } from "node:path";
import { displayPath } from "../core/paths.ts";
import { formatDuration, formatTable } from "../core/table.ts";
import type { RunManifest } from "../core/contracts/run-manifest.ts";

/** The run's summary: its status, build, where the site went and how to look at it, and a table of the steps. */
export function formatRunSummary(manifest: RunManifest, dataDir: string): string {
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
  const site = manifest.site
    ? `\nSite: ${displayPath(manifest.site.dir)} (${manifest.site.pages} pages): serve that folder with any static web server (opened from disk it shows no data), or preview it with "${previewCommand(dataDir)}"`
    : "";
  return `Run ${manifest.runId}: ${manifest.status.toUpperCase()} in ${formatDuration(manifest.durationMs ?? 0)} (as of ${manifest.asOf})${build}${site}\n${formatTable(rows)}`;
}

/** `duckmart site dev` for this data dir: with --data-dir unless it is the one a bare command here would use. */
function previewCommand(dataDir: string): string {
  return resolve(dataDir) === resolve("data")
    ? "duckmart site dev"
    : `duckmart site dev --data-dir ${shellWord(displayPath(resolve(dataDir)))}`;
}

/** A path as one shell word: quoted when it has anything but plain path characters. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
