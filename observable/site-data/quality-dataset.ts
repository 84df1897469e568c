// Data quality and pipeline: the last runs, test results, freshness, schema drift and location corrections.
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BuildManifest } from "../../cli/core/contracts/build-manifest.ts";
import type { Catalog } from "../../cli/core/contracts/catalog.ts";
import type { RunManifest } from "../../cli/core/contracts/run-manifest.ts";
import type { Query } from "./site-data-kit.ts";

const readJson = async (path: string): Promise<unknown> =>
  existsSync(path) ? JSON.parse(await readFile(path, "utf8")) : null;

/** The Quality page's data, computed on the site's shared DuckDB (no loader process of its own). */
export async function qualityDataset(
  q: Query,
  dataDir: string,
  catalog: Catalog,
  build: Partial<BuildManifest> | null,
) {
  const runsDir = join(dataDir, "runs");
  const runFiles = existsSync(runsDir)
    ? (await readdir(runsDir))
        .filter((f) => f.endsWith(".json"))
        .sort()
        .reverse()
    : [];
  const runs = (await Promise.all(runFiles.slice(0, 90).map((f) => readJson(join(runsDir, f))))) as RunManifest[];
  // Freshness against its limits: the newest run that checked it (a run in progress has written it before the site step).
  const checked = runs.find((r) => r.freshness);
  const freshnessChecks = (checked?.freshness?.checks ?? []).map((c) => ({
    table: c.table,
    source: `${c.source}/${c.entity}`,
    measure: c.measure === "extracted" ? "extracted" : `newest ${c.column}`,
    age_hours: c.ageHours ?? null,
    warn_after_hours: c.warnAfterHours ?? null,
    error_after_hours: c.errorAfterHours ?? null,
    status: c.status,
    observed_at: c.observedAt ?? null,
    detail: c.detail ?? "",
  }));
  // The inputs of the build shown: each raw snapshot it read, with its manifest's drift.
  const freshness = await Promise.all(
    (build?.inputs ?? [])
      .filter((i) => i.snapshot && i.extractedAt)
      .map(async (i) => {
        const manifestPath = join(dataDir, "raw", i.source, i.entity, i.snapshot!, "manifest.json");
        const manifest = (await readJson(manifestPath)) as { driftFields?: string[] } | null;
        return {
          input: i.name,
          source: i.source,
          entity: i.entity,
          snapshot: i.snapshot,
          rows: i.rowCount,
          extracted_at: i.extractedAt!,
          as_of: i.asOf ?? "",
          age_hours: (Date.now() - Date.parse(i.extractedAt!)) / 3.6e6,
          drift: manifest?.driftFields ?? [],
        };
      }),
  );
  const corrections = await q(`
    select city, state as corrected_state, state_code as corrected_state_code, count(*)::integer as customers_corrected
    from dim_customers where was_location_corrected group by all order by customers_corrected desc, city`);
  const correctionTotals = (
    await q(
      `select count(*) filter (where was_location_corrected)::integer as corrected, count(*)::integer as customers from dim_customers`,
    )
  )[0];
  return {
    asOf: catalog.asOf,
    build: build?.buildId
      ? {
          id: build.buildId,
          status: build.status,
          createdAt: build.createdAt,
          shopSource: build.shopSource,
          shopSourceOrigin: build.shopSourceOrigin,
          paymentsSource: build.paymentsSource,
          modelsFingerprint: (build.modelsFingerprint ?? "").slice(0, 12),
          guardsFailed: (build.guards ?? []).filter((g) => g.status !== "pass").length,
        }
      : null,
    // Only what the page shows: the whole manifest carries fields (alert channels, ...) a public page does not need.
    lastRun: runs[0]
      ? {
          runId: runs[0].runId,
          status: runs[0].status,
          startedAt: runs[0].startedAt,
          steps: runs[0].steps.map((s) => ({
            name: s.name,
            status: s.status,
            durationMs: s.durationMs ?? null,
            rows: s.rows ?? null,
            attempts: s.attempts ?? null,
            error: s.error ?? null,
            reason: s.reason ?? null,
          })),
        }
      : null,
    runs: runs.map((r) => ({
      runId: r.runId,
      status: r.status,
      startedAt: r.startedAt,
      durationMs: r.durationMs ?? null,
      failedStep: r.steps.find((s) => s.status === "failed")?.name ?? null,
      rowsLanded: r.steps.find((s) => s.name === "extract" && s.status === "ok")?.rows ?? null,
      buildId: r.buildId ?? null,
      alertsSent: r.alerts?.sent ?? 0,
    })),
    freshnessCheck: checked
      ? { runId: checked.runId, checkedAt: checked.freshness!.checkedAt, status: checked.freshness!.status }
      : null,
    freshnessChecks,
    tests: catalog.tests.map((t) => ({
      id: t.id,
      model: t.model,
      column: t.column ?? "",
      kind: t.kind,
      severity: t.severity,
      status: t.status,
      failing_rows: t.failingRows,
    })),
    freshness,
    drift: freshness
      .filter((f) => f.drift.length)
      .map((f) => ({ source: f.source, entity: f.entity, fields: f.drift.join(", ") })),
    corrections,
    correctionTotals,
  };
}
