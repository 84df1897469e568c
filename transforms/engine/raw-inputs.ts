import type { DuckDBConnection } from "@duckdb/node-api";
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { queryRows } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { LakePaths } from "../../cli/core/paths.ts";
import type { BuildInput } from "../../cli/core/contracts/build-manifest.ts";
import {
  readSnapshotManifest,
  readSnapshotSql,
  snapshotDataFile,
  snapshotForDay,
} from "../../cli/core/contracts/landing.ts";
import type { RawTable } from "./raw-sources.ts";

/** The snapshot each raw table reads, as recorded in the build manifest. */
export async function describeInputs(paths: LakePaths, raw: RawTable[]): Promise<BuildInput[]> {
  return Promise.all(
    raw.map(async (table): Promise<BuildInput> => {
      const snapshot = relative(paths.rawEntityDir(table.source, table.entity), dirname(table.path));
      const manifest = table.exists
        ? await readSnapshotManifest(paths, table.source, table.entity, snapshot)
        : undefined;
      return {
        name: table.name,
        source: table.source,
        entity: table.entity,
        ...(manifest ? { snapshot: manifest.snapshot, asOf: manifest.asOf, extractedAt: manifest.extractedAt } : {}),
        rowCount: manifest?.rowCount ?? 0,
      };
    }),
  );
}

/** Raw tables over the snapshots a build recorded (for testing that build later, with the same inputs). */
export function rawTablesOf(paths: LakePaths, inputs: BuildInput[], raw: RawTable[]): RawTable[] {
  return raw.map((table) => {
    const input = inputs.find((i) => i.name === table.name);
    if (!input?.snapshot) return { ...table, path: "", exists: false };
    const path = join(paths.rawSnapshotDir(input.source, input.entity, input.snapshot), snapshotDataFile);
    return { ...table, source: input.source, entity: input.entity, path, exists: existsSync(path) };
  });
}

/**
 * A replay: the raw tables as they were current on as-of day `day` (the newest snapshot extracted for that day or
 * before). Throws, naming the retention setting, when a landed entity has no snapshot that old any more.
 */
export async function rawTablesForDay(
  paths: LakePaths,
  raw: RawTable[],
  day: string,
  rawDays: number,
): Promise<RawTable[]> {
  return Promise.all(
    raw.map(async (table) => {
      if (!table.exists) return table;
      const found = await snapshotForDay(paths, table.source, table.entity, day);
      if (!found)
        throw new DuckmartError(
          `Cannot replay ${day}: no raw snapshot of ${table.source}/${table.entity} for that day is retained`,
          {
            hint: `Raw snapshots are kept for ${rawDays} as-of days before the newest (retention.rawDays, DUCKMART_RAW_RETENTION_DAYS); raise it to keep replays possible further back. "duckmart extract --as-of ${day}" lands that day anew (a live API records today's data as that day).`,
          },
        );
      return { ...table, path: found.path, exists: existsSync(found.path) };
    }),
  );
}

/**
 * Check every raw input before building: its Parquet must open and hold the rows its manifest says (a cheap read
 * of the footer). A corrupt or truncated file fails here, naming the file and the command that re-extracts it.
 */
export async function checkRawInputs(
  connection: DuckDBConnection,
  raw: RawTable[],
  inputs: BuildInput[],
): Promise<void> {
  for (const table of raw.filter((r) => r.exists)) {
    const expected = inputs.find((i) => i.name === table.name)?.rowCount;
    let rows: number;
    try {
      rows = Number(
        (await queryRows(connection, `select count(*) as n from ${readSnapshotSql(table.path)}`))[0]?.["n"],
      );
    } catch (cause) {
      throw corruptRaw(table, `cannot be read (${firstLine((cause as Error).message)})`, cause);
    }
    if (expected !== undefined && rows !== expected)
      throw corruptRaw(table, `holds ${rows} rows but its manifest says ${expected}`);
  }
}

export function corruptRaw(table: RawTable, problem: string, cause?: unknown): DuckmartError {
  return new DuckmartError(`Raw file ${table.path} (${table.source}/${table.entity}) ${problem}`, {
    cause,
    hint: `Re-extract it with "duckmart extract --source ${table.source}". The current build is unchanged.`,
  });
}

/** A model error that comes from reading a raw file names that file and how to re-extract it. */
export function rawFileError(raw: RawTable[], error: unknown): DuckmartError | undefined {
  const message = (error as Error).message ?? "";
  const table = raw.find((r) => r.exists && message.includes(r.path));
  return table ? corruptRaw(table, `cannot be read (${firstLine(message)})`, error) : undefined;
}

const firstLine = (text: string) => text.split("\n")[0] ?? text;
