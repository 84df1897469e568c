import type { DuckDBConnection } from "@duckdb/node-api";
import { createHash } from "node:crypto";
import { dirname, relative } from "node:path";
import { queryRows, quoteIdent } from "../../../cli/core/duckdb.ts";
import { DuckmartError } from "../../../cli/core/errors.ts";
import type { Logger } from "../../../cli/core/logger.ts";
import type { LakePaths } from "../../../cli/core/paths.ts";
import { listSnapshots, snapshotForDay } from "../../../cli/core/contracts/landing.ts";
import type { HistoryDay } from "../../../cli/core/contracts/history.ts";
import { referencedTables } from "../dependencies.ts";
import type { Project, Snapshot } from "../project.ts";
import type { RawTable } from "../raw-sources.ts";
import { defineRawViews } from "../runner.ts";
import { historySource, publishHistory } from "../../../cli/core/history-store.ts";
import { applyDaySql, emptyHistorySql, rewindSql } from "./scd-sql.ts";
import { addedColumns, fillOpenVersionsSql, withAddedColumns } from "./history-columns.ts";

export interface SnapshotResult {
  name: string;
  status: "applied" | "unchanged" | "skipped";
  /** Days (re)applied, oldest first. */
  days: string[];
  rowCount: number;
  reason?: string;
}

/**
 * Bring every snapshot's history up to `asOf` from the raw tables the build reads. Re-running a day that is already
 * applied with the same raw snapshots changes nothing. A day earlier than the newest applied one (a backfill, or a
 * re-extraction of a past day) rewinds the history to before it and re-applies the later days from their retained
 * raw snapshots. `fullRefresh` rebuilds from every retained raw snapshot, in as-of order; history older than the
 * oldest retained snapshot is kept, so a refresh never loses history. History is the build's shop source's own
 * (history/<shop source>/): another source's days are neither read, re-applied nor replaced.
 */
export async function applySnapshots(
  connection: DuckDBConnection,
  context: { paths: LakePaths; logger: Logger },
  project: Project,
  raw: RawTable[],
  asOf: string,
  options: { fullRefresh?: boolean; shopSource: string },
): Promise<SnapshotResult[]> {
  const results: SnapshotResult[] = [];
  const scope = { ...context, shopSource: options.shopSource };
  for (const snapshot of project.snapshots.values())
    results.push(await applySnapshot(connection, scope, snapshot, raw, asOf, options.fullRefresh ?? false));
  await defineRawViews(connection, raw);
  return results;
}

async function applySnapshot(
  connection: DuckDBConnection,
  { paths, logger, shopSource }: { paths: LakePaths; logger: Logger; shopSource: string },
  snapshot: Snapshot,
  raw: RawTable[],
  asOf: string,
  fullRefresh: boolean,
): Promise<SnapshotResult> {
  const refs = await referencedTables(connection, snapshot.sql, snapshot.name);
  const tables = raw.filter((r) => refs.includes(r.name));
  const missing = tables.filter((t) => !t.exists);
  if (missing.length)
    return { name: snapshot.name, status: "skipped", days: [], rowCount: 0, reason: `${missing[0]!.name} not landed` };
  const definition = createHash("sha256").update(snapshot.sql).update(JSON.stringify(snapshot.doc)).digest("hex");
  const today: HistoryDay = { asOf, inputs: tables.map((t) => inputId(paths, t)), sourceRows: 0 };
  const history = await historySource(paths, shopSource, snapshot.name);
  const recorded = history?.manifest.days.find((d) => d.asOf === asOf);
  if (!fullRefresh && recorded && recorded.inputs.join() === today.inputs.join())
    return { name: snapshot.name, status: "unchanged", days: [], rowCount: history!.manifest.rowCount };
  if (history && !history.manifest.restoredFrom && history.manifest.definition !== definition && !fullRefresh)
    logger.warn(
      `Snapshot ${snapshot.name} changed since its history was built: new versions follow the new definition; "duckmart transform --full-refresh" rebuilds it from the retained raw snapshots.`,
    );
  const newest = history?.manifest.asOf;
  let from = asOf;
  if (fullRefresh) {
    const retained = await Promise.all(tables.map((t) => listSnapshots(paths, t.source, t.entity)));
    from = retained.flat().reduce((min, s) => (s.asOf < min ? s.asOf : min), asOf);
  }
  const laterDays = (history?.manifest.days ?? []).map((d) => d.asOf).filter((d) => d > from && d !== asOf);
  const retainedDays = fullRefresh
    ? (await listSnapshots(paths, tables[0]!.source, tables[0]!.entity)).map((s) => s.asOf)
    : [];
  const days = [...new Set([from, asOf, ...laterDays, ...retainedDays.filter((d) => d >= from)])].sort();
  // A column the SQL selects since the history was written (a natural key, say) is added: null in old versions.
  const added = history ? await addedColumns(connection, history.sql, `(${body(snapshot)})`) : [];
  if (added.length)
    logger.info(
      `Snapshot ${snapshot.name}: new column(s) ${added.map((c) => c.name).join(", ")} added to its history: null in the versions before ${days[0]}, except those still open, which take that day's values ("duckmart transform --full-refresh" fills them from the retained raw snapshots).`,
    );
  const base = history
    ? rewindSql(withAddedColumns(history.sql, added), days[0]!)
    : emptyHistorySql(`(${body(snapshot)})`);
  await connection.run(`create or replace temp table snapshot_history as select * from ${base}`);
  const applied: HistoryDay[] = [];
  for (const day of days) {
    const dayTables = day === asOf ? tables : await tablesForDay(paths, tables, day, snapshot.name);
    await defineRawViews(connection, dayTables);
    await connection.run(`create or replace temp table snapshot_source as ${body(snapshot)}`);
    const counts = await queryRows(
      connection,
      `select count(*) as n, count(distinct ${quoteIdent(snapshot.doc.unique_key)}) as k from snapshot_source`,
    );
    const [n, k] = [Number(counts[0]?.["n"]), Number(counts[0]?.["k"])];
    // Duplicate keys: the day is not applied (history stays as it was); the data tests on the raw and staging keys
    // report the duplicates.
    if (n !== k) {
      const reason = `${n - k} duplicate ${snapshot.doc.unique_key} value(s) on ${day}; history not updated`;
      logger.warn(`Snapshot ${snapshot.name}: ${reason}. Fix the source (see the unique tests), then run again.`);
      return { name: snapshot.name, status: "skipped", days: [], rowCount: history?.manifest.rowCount ?? 0, reason };
    }
    await connection.run(
      `create or replace temp table snapshot_history as select * from ${applyDaySql("snapshot_history", "snapshot_source", snapshot.doc, day)}`,
    );
    if (added.length && day === days[0])
      await connection.run(
        fillOpenVersionsSql("snapshot_history", "snapshot_source", snapshot.doc.unique_key, added, day),
      );
    applied.push({ asOf: day, inputs: dayTables.map((t) => inputId(paths, t)), sourceRows: n });
  }
  const kept = (history?.manifest.days ?? []).filter((d) => d.asOf < days[0]!);
  const published = await publishHistory(
    connection,
    paths,
    "snapshot_history",
    `${quoteIdent(snapshot.doc.unique_key)}, valid_from`,
    {
      snapshot: snapshot.name,
      shopSource,
      asOf: [newest ?? asOf, ...days].sort().at(-1)!,
      days: [...kept, ...applied],
      definition,
    },
  );
  await connection.run("drop table snapshot_history; drop table snapshot_source");
  return { name: snapshot.name, status: "applied", days, rowCount: published.rowCount };
}

/** The raw tables as they were current on `day` (a later day re-applied after a backfill, or a full refresh). */
async function tablesForDay(paths: LakePaths, tables: RawTable[], day: string, name: string): Promise<RawTable[]> {
  return Promise.all(
    tables.map(async (t) => {
      const found = await snapshotForDay(paths, t.source, t.entity, day);
      if (!found)
        throw new DuckmartError(
          `Snapshot ${name}: re-applying ${day} needs the raw ${t.source}/${t.entity} snapshot of that day, which is no longer retained`,
          { hint: "Raw snapshots are kept for retention.rawDays (DUCKMART_RAW_RETENTION_DAYS) as-of days." },
        );
      return { ...t, path: found.path, exists: true };
    }),
  );
}

function inputId(paths: LakePaths, table: RawTable): string {
  return `${table.source}/${table.entity}/${relative(paths.rawEntityDir(table.source, table.entity), dirname(table.path))}`;
}

const body = (snapshot: Snapshot) => snapshot.sql.trim().replace(/;\s*$/, "");
