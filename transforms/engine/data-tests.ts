import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, queryRowsExact, quoteIdent, sqlValue } from "../../cli/core/duckdb.ts";
import type { TestKind, TestResult, TestSeverity } from "../../cli/core/contracts/test-result.ts";
import { maskPii } from "./pii.ts";
import type { ModelDoc, Project, TestSpec } from "./project.ts";
import { scdTests } from "./snapshots/scd-tests.ts";

export type { TestResult } from "../../cli/core/contracts/test-result.ts";

export interface DataTest {
  id: string;
  model: string;
  column?: string;
  kind: TestKind;
  severity: TestSeverity;
  /** Returns the failing rows. */
  sql: string;
  description: string;
}

/** Compile one yml test into a query that returns its failing rows. */
export function compileTest(model: string, column: string | undefined, spec: TestSpec): DataTest {
  const table = quoteIdent(model);
  const col = column ? quoteIdent(column) : "";
  const base = { model, column };
  const kind =
    typeof spec === "string"
      ? spec
      : (Object.keys(spec).find((k) => k !== "name" && k !== "severity") as DataTest["kind"]);
  const options = (typeof spec === "string" ? {} : ((spec as Record<string, unknown>)[kind] ?? {})) as Record<
    string,
    unknown
  >;
  const severity = ((typeof spec === "object" && "severity" in spec ? spec.severity : undefined) ??
    options["severity"] ??
    "error") as "error" | "warn";
  const id = (suffix: string) => [model, column, kind, suffix].filter(Boolean).join(".");
  switch (kind) {
    case "unique":
      return {
        ...base,
        kind,
        severity,
        id: id(""),
        description: `${column} is unique`,
        sql: `select ${col}, count(*) as duplicate_count from ${table} where ${col} is not null group by ${col} having count(*) > 1 order by duplicate_count desc, ${col}`,
      };
    case "not_null": {
      // if_any_in: the source may not give the field at all; then there is nothing to test.
      const [source, field] = String(options["if_any_in"] ?? "").split(".");
      const given =
        source && field
          ? ` and exists (select 1 from ${quoteIdent(source)} where ${quoteIdent(field)} is not null)`
          : "";
      return {
        ...base,
        kind,
        severity,
        id: id(""),
        description: `${column} is never null${given ? ` (when ${source}.${field} is given at all)` : ""}`,
        sql: `select * from ${table} where ${col} is null${given}`,
      };
    }
    case "accepted_values": {
      const values = (options["values"] as (string | number | boolean)[]).map(sqlValue).join(", ");
      return {
        ...base,
        kind,
        severity,
        id: id(""),
        description: `${column} in (${values})`,
        sql: `select ${col}, count(*) as row_count from ${table} where ${col} is not null and ${col} not in (${values}) group by ${col} order by ${col}`,
      };
    }
    case "relationships": {
      const to = String(options["to"]);
      const field = quoteIdent(String(options["field"]));
      return {
        ...base,
        kind,
        severity,
        id: id(to),
        description: `every ${column} exists in ${to}.${String(options["field"])}`,
        sql: `select child.* from ${table} as child left join ${quoteIdent(to)} as parent on child.${col} = parent.${field} where child.${col} is not null and parent.${field} is null order by child.${col}`,
      };
    }
    default: {
      const expression = String((spec as { expression: string }).expression);
      const name = (spec as { name?: string }).name ?? expression;
      return {
        ...base,
        kind: "expression",
        severity,
        id: id(name.replace(/\W+/g, "_").slice(0, 60)),
        description: name,
        sql: `select * from ${table} where not coalesce((${expression}), false)`,
      };
    }
  }
}

/**
 * The tests a node's declared keys generate (dbt-style constraints): unique and not_null for the primary key,
 * relationships for each foreign key. Composite keys test the column combination.
 */
export function keyTests(model: string, doc: ModelDoc): DataTest[] {
  const tests: DataTest[] = [];
  const table = quoteIdent(model);
  const pk = doc.primary_key ?? [];
  if (pk.length === 1) tests.push(compileTest(model, pk[0], "unique"));
  for (const column of pk) tests.push(compileTest(model, column, "not_null"));
  if (pk.length > 1) {
    const cols = pk.map(quoteIdent).join(", ");
    tests.push({
      model,
      kind: "unique",
      severity: "error",
      id: `${model}.${pk.join("+")}.unique`,
      description: `(${pk.join(", ")}) is unique`,
      sql: `select ${cols}, count(*) as duplicate_count from ${table} group by ${cols} having count(*) > 1 order by duplicate_count desc, ${cols}`,
    });
  }
  for (const fk of doc.foreign_keys) {
    const [column] = fk.columns;
    const [field] = fk.references.columns;
    if (fk.columns.length === 1 && column && field) {
      tests.push(compileTest(model, column, { relationships: { to: fk.references.model, field, severity: "error" } }));
      continue;
    }
    const on = fk.columns
      .map((c, i) => `child.${quoteIdent(c)} = parent.${quoteIdent(fk.references.columns[i]!)}`)
      .join(" and ");
    const present = fk.columns.map((c) => `child.${quoteIdent(c)} is not null`).join(" and ");
    tests.push({
      model,
      kind: "relationships",
      severity: "error",
      id: `${model}.${fk.columns.join("+")}.relationships.${fk.references.model}`,
      description: `every (${fk.columns.join(", ")}) exists in ${fk.references.model}(${fk.references.columns.join(", ")})`,
      sql: `select child.* from ${table} as child left join ${quoteIdent(fk.references.model)} as parent on ${on} where ${present} and parent.${quoteIdent(fk.references.columns[0]!)} is null`,
    });
  }
  return tests;
}

/** Every test declared for the given models (and raw sources): key tests, then column tests, then model tests. */
export function collectTests(project: Project, names: Iterable<string>): DataTest[] {
  const tests: DataTest[] = [];
  for (const name of names) {
    const snapshot = project.snapshots.get(name)?.doc;
    const doc: ModelDoc | undefined =
      project.models.get(name)?.doc ?? project.sources.get(name) ?? project.seeds.get(name)?.doc ?? snapshot;
    if (!doc) continue;
    if (snapshot) tests.push(...scdTests(name, snapshot));
    tests.push(...keyTests(name, doc));
    for (const column of doc.columns) for (const spec of column.tests) tests.push(compileTest(name, column.name, spec));
    for (const spec of doc.tests) tests.push(compileTest(name, undefined, spec));
  }
  return tests;
}

/** Run the tests; sample rows have the `piiColumns` masked before they leave (stdout, test-results.json, CI logs). */
export async function runTests(
  connection: DuckDBConnection,
  tests: DataTest[],
  piiColumns: readonly string[] = [],
): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const test of tests) {
    const started = Date.now();
    const { sql, ...meta } = test;
    try {
      const counted = await queryRows(connection, `select count(*) as n from (${sql})`);
      const failingRows = Number(counted[0]?.["n"] ?? 0);
      const samples = failingRows ? maskPii(await queryRowsExact(connection, `${sql} limit 5`), piiColumns) : [];
      const status = failingRows === 0 ? "pass" : test.severity === "warn" ? "warn" : "fail";
      results.push({ ...meta, status, failingRows, samples, durationMs: Date.now() - started });
    } catch (error) {
      results.push({
        ...meta,
        status: "error",
        failingRows: 0,
        samples: [],
        message: (error as Error).message,
        durationMs: Date.now() - started,
      });
    }
  }
  return results;
}
