// Data quality and pipeline: the last run, test results, freshness, schema drift and location corrections.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { dataDir, emitJson, readCatalogSync, withMarts } from "../../lib/loader-kit.ts";

const readJson = (path: string): unknown => (existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null);
const runsDir = join(dataDir, "runs");
const runFiles = existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith(".json")).sort().reverse() : [];
const runs = runFiles.slice(0, 30).map((f) => readJson(join(runsDir, f)) as { runId: string; status: string; startedAt: string; durationMs?: number; steps: unknown[]; driftWarnings?: unknown[] });
const catalog = readCatalogSync();
const rawDir = join(dataDir, "raw");
const freshness = existsSync(rawDir)
  ? readdirSync(rawDir).flatMap((source) =>
      readdirSync(join(rawDir, source))
        .filter((f) => f.endsWith(".manifest.json"))
        .map((f) => readJson(join(rawDir, source, f)) as { source: string; entity: string; rowCount: number; extractedAt: string; asOf: string; driftFields: string[] })
        .map((m) => ({ source: m.source, entity: m.entity, rows: m.rowCount, extracted_at: m.extractedAt, as_of: m.asOf, age_hours: (Date.now() - Date.parse(m.extractedAt)) / 3.6e6, drift: m.driftFields ?? [] })),
    )
  : [];

await withMarts(async (q) => {
  const corrections = await q(`
    select city, state as corrected_state, state_code as corrected_state_code, count(*)::integer as customers_corrected
    from dim_customers where was_location_corrected group by all order by customers_corrected desc, city`);
  const correctionTotals = (await q(`select count(*) filter (where was_location_corrected)::integer as corrected, count(*)::integer as customers from dim_customers`))[0];
  emitJson("quality.json", {
    asOf: catalog.asOf,
    lastRun: runs[0] ?? null,
    runs: runs.map((r) => ({ runId: r.runId, status: r.status, startedAt: r.startedAt, durationMs: r.durationMs ?? null })),
    tests: catalog.tests.map((t) => ({ id: t.id, model: t.model, column: t.column ?? "", kind: t.kind, severity: t.severity, status: t.status, failing_rows: t.failingRows })),
    freshness,
    drift: freshness.filter((f) => f.drift.length).map((f) => ({ source: f.source, entity: f.entity, fields: f.drift.join(", ") })),
    corrections,
    correctionTotals,
  });
});
