import { paymentEntityColumns } from "../../extract/index.ts";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { quoteIdent, quoteLiteral, withDuckdb } from "../../cli/core/duckdb.ts";
import { lakePaths } from "../../cli/core/paths.ts";
import { buildGraph } from "../../transforms/engine/graph.ts";
import { loadProject } from "../../transforms/engine/project.ts";
import { rawTables } from "../../transforms/engine/raw-sources.ts";
import { readSnapshotSql } from "../../cli/core/contracts/landing.ts";
import { mb, measure, ratio, seconds, table, bigLake, ensureBigLake } from "./bench-kit.ts";

/** The engine's statements as a plain script: what "the same SQL on one connection" runs. */
async function plainScript(): Promise<string> {
  const paths = lakePaths(bigLake);
  const project = await loadProject();
  const raw = rawTables(paths, "sample", paymentEntityColumns());
  const statements = [
    `set variable as_of = date '2026-11-24'`,
    `set variable reporting_currency = 'usd'`,
    `set variable payments_source = 'sample'`,
  ];
  for (const r of raw.filter((t) => t.exists)) {
    const defaults = Object.entries(r.defaults ?? {}).map(([column, sql]) => `, ${sql} as ${quoteIdent(column)}`);
    statements.push(
      `create or replace view ${quoteIdent(r.name)} as select *${defaults.join("")} from ${readSnapshotSql(r.path)}`,
    );
  }
  for (const s of project.seeds.values())
    statements.push(
      `create or replace table ${quoteIdent(s.name)} as select * from read_csv(${quoteLiteral(s.path)}, header = true)`,
    );
  // One day of history: every snapshot row is its first version.
  for (const snapshot of project.snapshots.values())
    statements.push(
      `create or replace view ${quoteIdent(snapshot.name)} as select *, getvariable('as_of') as valid_from, null::date as valid_to, true as is_current, false as is_deleted from (${snapshot.sql.trim().replace(/;\s*$/, "")})`,
    );
  const order = await withDuckdb(
    {},
    async (c) =>
      (
        await buildGraph(
          c,
          project,
          raw.map((r) => r.name),
        )
      ).order,
  );
  for (const name of order) {
    const model = project.models.get(name)!;
    const body = model.sql.trim().replace(/;\s*$/, "");
    statements.push(`create or replace ${model.materialized} ${quoteIdent(name)} as ${body}`);
    if (model.materialized === "table")
      statements.push(
        `copy ${quoteIdent(name)} to ${quoteLiteral(join(bigLake, "plain-marts", `${name}.parquet`))} (format parquet, compression zstd)`,
      );
  }
  const file = join(bigLake, "plain-script.json");
  await writeFile(file, JSON.stringify(statements));
  const { mkdir } = await import("node:fs/promises");
  await mkdir(join(bigLake, "plain-marts"), { recursive: true });
  return file;
}

export async function benchTransform(): Promise<void> {
  await ensureBigLake();
  const script = await plainScript();
  const engine = await measure("transform", [bigLake]);
  const plain = await measure("direct-sql", [bigLake, script]);
  table(
    "duckmart transform vs the same SQL on one DuckDB connection (about 10M order items, default memory limit 1GB)",
    [
      { run: "duckmart transform", wall: seconds(engine.ms), "peak RSS": mb(engine.maxRssMb) },
      { run: "plain SQL script", wall: seconds(plain.ms), "peak RSS": mb(plain.maxRssMb) },
      {
        run: "ratio (target <= 1.10x, RSS <= 2048 MiB)",
        wall: ratio(engine.ms, plain.ms),
        "peak RSS": ratio(engine.maxRssMb, plain.maxRssMb),
      },
    ],
  );
}
