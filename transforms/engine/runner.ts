import { existsSync } from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { writeAtomically } from "../../cli/core/atomic.ts";
import { quoteIdent, quoteLiteral } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { Logger } from "../../cli/core/logger.ts";
import { buildGraph, selectModels, type Graph } from "./graph.ts";
import type { Project } from "./project.ts";
import type { RawTable } from "./raw-sources.ts";
import { rawFileError } from "./raw-inputs.ts";
import { readSnapshotSql } from "../../cli/core/contracts/landing.ts";
import type { LakePaths } from "../../cli/core/paths.ts";
import { registerHistoryViews } from "./snapshots/history-views.ts";
import { defineMacros } from "./macros.ts";

export interface ModelResult {
  name: string;
  materialized: "view" | "table";
  status: "built" | "attached";
  rowCount?: number;
  durationMs: number;
  path?: string;
}

/** The project's macros, raw tables as views over their Parquet, seeds as tables, and the as-of date as a variable. */
export async function prepareSession(
  connection: DuckDBConnection,
  project: Project,
  raw: RawTable[],
  variables: { asOf: string; reportingCurrency: string; paymentsSource?: string; shopSource: string },
): Promise<void> {
  await connection.run(`set variable as_of = $1::date`, [variables.asOf]);
  // "none": no payments source is configured; reconciliation has nothing to reconcile against.
  await connection.run(`set variable payments_source = $1::varchar`, [variables.paymentsSource ?? "sample"]);
  await connection.run(`set variable reporting_currency = $1::varchar`, [variables.reportingCurrency.toLowerCase()]);
  await defineMacros(connection, project.macros);
  await defineRawViews(connection, raw);
  for (const seed of project.seeds.values()) {
    await connection.run(
      `create or replace table ${quoteIdent(seed.name)} as select * from read_csv(${quoteLiteral(seed.path)}, header = true)`,
    );
  }
}

/** Raw tables as views over their snapshot's Parquet (absent optional ones as empty, typed views). */
export async function defineRawViews(connection: DuckDBConnection, raw: RawTable[]): Promise<void> {
  for (const table of raw) {
    if (table.exists) {
      const parquet = readSnapshotSql(table.path);
      const landed = new Set(
        (await connection.runAndReadAll(`describe select * from ${parquet}`)).getRows().map((r) => String(r[0])),
      );
      const added = Object.entries(table.defaults ?? {})
        .filter(([column]) => !landed.has(column))
        .map(([column, sql]) => `, ${sql} as ${quoteIdent(column)}`)
        .join("");
      await connection.run(`create or replace view ${quoteIdent(table.name)} as select *${added} from ${parquet}`);
    } else if (table.emptyColumns) {
      const columns = table.emptyColumns.map((c) => `null::${c.type} as ${quoteIdent(c.name)}`).join(", ");
      await connection.run(`create or replace view ${quoteIdent(table.name)} as select ${columns} where false`);
    }
  }
}

/**
 * Prepare the session (unless the caller already did: a build prepares it before applying the snapshots), then the
 * model graph over it and the selected models (with what they need).
 */
export async function openGraph(
  connection: DuckDBConnection,
  project: Project,
  raw: RawTable[],
  variables: Parameters<typeof prepareSession>[3],
  select: string[] | undefined,
  paths: LakePaths,
  prepared = false,
): Promise<{ graph: Graph; selected: string[] }> {
  if (!prepared) await prepareSession(connection, project, raw, variables);
  await registerHistoryViews(connection, paths, project, variables.asOf, variables.shopSource);
  const graph = await buildGraph(
    connection,
    project,
    raw.map((r) => r.name),
  );
  return { graph, selected: selectModels(graph, select) };
}

/**
 * Run models in dependency order. Views are always (re)created: they are free. Selected tables are built
 * in memory and written to `martPath(model)` (in the build being made); tables outside the selection are
 * attached as views over `attachPath(model)` (a complete earlier build).
 */
export async function runModels(
  connection: DuckDBConnection,
  options: {
    project: Project;
    graph: Graph;
    /** Models that must be queryable afterwards (with everything upstream of them). */
    targets: string[];
    /** Of those, the tables to build and write; the others are attached from their last Parquet. */
    selected: string[];
    raw: RawTable[];
    /** Where a built mart is written. */
    martPath: (model: string) => string;
    /** Where an unselected mart is read from (undefined: no earlier build). */
    attachPath: (model: string) => string | undefined;
    logger: Logger;
    write: boolean;
  },
): Promise<ModelResult[]> {
  const { project, graph, logger } = options;
  const selected = new Set(options.selected);
  const missingRaw = new Map(options.raw.filter((r) => !r.exists && !r.emptyColumns).map((r) => [r.name, r]));
  const needed = neededModels(graph, new Set(options.targets));
  const results: ModelResult[] = [];
  for (const name of graph.order) {
    if (!needed.has(name)) continue;
    const model = project.models.get(name)!;
    for (const dep of graph.deps.get(name) ?? []) {
      const raw = missingRaw.get(dep);
      if (raw) {
        throw new DuckmartError(`Model "${name}" reads ${dep}, but ${raw.source}/${raw.entity} has not landed`, {
          hint: `Run "duckmart extract --source ${raw.source}" first.`,
        });
      }
    }
    const started = Date.now();
    const body = model.sql.trim().replace(/;\s*$/, "");
    if (model.materialized === "view") {
      await connection.run(`create or replace view ${quoteIdent(name)} as ${body}`);
      results.push({ name, materialized: "view", status: "built", durationMs: Date.now() - started });
      continue;
    }
    if (!selected.has(name)) {
      const path = options.attachPath(name);
      if (!path || !existsSync(path)) {
        throw new DuckmartError(`Model "${name}" is needed but was neither selected nor built in an earlier build`, {
          hint: options.write
            ? `Select it too, e.g. --select +${options.selected[0] ?? name}`
            : 'Run "duckmart transform" first.',
        });
      }
      await connection.run(
        `create or replace view ${quoteIdent(name)} as select * from read_parquet(${quoteLiteral(path)})`,
      );
      results.push({ name, materialized: "table", status: "attached", durationMs: Date.now() - started, path });
      continue;
    }
    try {
      await connection.run(`create or replace table ${quoteIdent(name)} as ${body}`);
    } catch (cause) {
      const raw = rawFileError(options.raw, cause);
      if (raw) throw raw;
      throw new DuckmartError(`Model "${name}" failed: ${(cause as Error).message}`, {
        cause,
        hint: `Check ${model.path}.`,
      });
    }
    const rowCount = Number(
      (await connection.runAndReadAll(`select count(*) from ${quoteIdent(name)}`)).getRows()[0]?.[0] ?? 0,
    );
    const path = options.martPath(name);
    if (options.write) {
      await writeAtomically(path, (temp) =>
        connection
          .run(`copy ${quoteIdent(name)} to ${quoteLiteral(temp)} (format parquet, compression zstd)`)
          .then(() => undefined),
      );
    }
    const result: ModelResult = {
      name,
      materialized: "table",
      status: "built",
      rowCount,
      durationMs: Date.now() - started,
      path,
    };
    results.push(result);
    logger.info(`built ${name}: ${rowCount.toLocaleString("en-US")} rows in ${result.durationMs} ms`);
  }
  return results;
}

/** The selected models plus everything upstream of them (upstream tables may only be attached). */
function neededModels(graph: Graph, selected: Set<string>): Set<string> {
  const needed = new Set<string>();
  const stack = [...selected];
  while (stack.length) {
    const name = stack.pop()!;
    if (needed.has(name) || !graph.deps.has(name)) continue;
    needed.add(name);
    const model = graph.deps.get(name) ?? [];
    stack.push(...model);
  }
  return needed;
}
