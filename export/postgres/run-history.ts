import type pg from "pg";
import { quoteIdent } from "../../cli/core/duckdb.ts";
import type { RunManifest } from "../../cli/core/contracts/run-manifest.ts";
import { redactDeep } from "../../cli/core/redact.ts";

/** Run history in the warehouse, so Metabase can chart pipeline health. */
export async function upsertRunHistory(client: pg.PoolClient, schema: string, runs: RunManifest[]): Promise<void> {
  const table = `${quoteIdent(schema)}.duckmart_runs`;
  await client.query(`create schema if not exists ${quoteIdent(schema)}`);
  await client.query(`create table if not exists ${table} (
    run_id text primary key,
    status text not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    duration_ms bigint,
    as_of date,
    source text,
    failed_step text,
    tests_failed integer,
    steps jsonb,
    versions jsonb,
    build_id text
  )`);
  await client.query(`alter table ${table} add column if not exists build_id text`);
  await client.query(
    `comment on table ${table} is 'One row per duckmart run: status, steps and their durations (from data/runs/*.json).'`,
  );
  for (const run of redactDeep(runs)) {
    await client.query(
      `insert into ${table} (run_id, status, started_at, finished_at, duration_ms, as_of, source, failed_step, tests_failed, steps, versions, build_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12)
       on conflict (run_id) do update set status = excluded.status, finished_at = excluded.finished_at, duration_ms = excluded.duration_ms,
         failed_step = excluded.failed_step, tests_failed = excluded.tests_failed, steps = excluded.steps, build_id = excluded.build_id`,
      [
        run.runId,
        run.status,
        run.startedAt,
        run.finishedAt ?? null,
        run.durationMs ?? null,
        run.asOf,
        run.source,
        run.steps.find((s) => s.status === "failed")?.name ?? null,
        run.tests.filter((t) => t.status === "fail" || t.status === "error").length,
        JSON.stringify(run.steps),
        JSON.stringify(run.versions),
        run.buildId ?? null,
      ],
    );
  }
}
