import { rm } from "node:fs/promises";
import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteLiteral } from "../../../cli/core/duckdb.ts";
import { writeJsonAtomic } from "../../../cli/core/atomic.ts";
import { landRelation } from "../../landing/land-relation.ts";
import { writeLandingManifest } from "../../landing/manifest.ts";
import { landingTarget } from "../../../cli/core/contracts/landing.ts";
import type { EntityLanding, ExtractContext } from "../../source.ts";
import { findBadLines } from "./bad-lines.ts";
import { displayPath } from "./display-path.ts";
import type { FileInput } from "./file-input.ts";
import type { LineMapping } from "./line-mapping.ts";

const columns = [
  { name: "file", type: "VARCHAR" },
  { name: "location", type: "VARCHAR" },
  { name: "field", type: "VARCHAR" },
  { name: "file_column", type: "VARCHAR" },
  { name: "value", type: "VARCHAR" },
  { name: "problem", type: "VARCHAR" },
];

/**
 * With onBadRows: "quarantine", the bad lines land as files/quarantined_lines (which file, relative to the configured
 * path's base; where; which column; what value).
 */
export async function landQuarantine(
  connection: DuckDBConnection,
  options: {
    context: ExtractContext;
    input: FileInput;
    mapping: LineMapping;
    asOf: string;
    extractedAt: string;
  },
): Promise<EntityLanding> {
  const { paths, config } = options.context;
  const bad = await findBadLines(connection, { ...options, format: options.input.format });
  const configured = config.files?.orderLines?.path ?? "";
  const jsonPath = `${paths.rawDir("files")}/quarantined_lines.tmp.json`;
  const rows = bad.map((b) => ({
    file: displayPath(b.file, configured),
    location: b.where,
    field: b.field,
    file_column: b.columnNames,
    value: b.value,
    problem: b.problem,
  }));
  await writeJsonAtomic(jsonPath, rows);
  const relation = rows.length
    ? `read_json(${quoteLiteral(jsonPath)}, columns = {${columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(", ")}})`
    : `(select ${columns.map((c) => `null::${c.type} as ${c.name}`).join(", ")} where false)`;
  const target = landingTarget(paths, "files", "quarantined_lines", options.extractedAt);
  await landRelation(connection, { relation, columns, target, preserveOrder: true });
  await rm(jsonPath, { force: true });
  return writeLandingManifest(
    paths,
    {
      source: "files",
      entity: "quarantined_lines",
      rowCount: rows.length,
      extractedAt: options.extractedAt,
      asOf: options.asOf,
      driftFields: [],
    },
    columns,
  );
}
