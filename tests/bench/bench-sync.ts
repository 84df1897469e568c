import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { quoteLiteral, withDuckdb } from "../../cli/core/duckdb.ts";
import { createMart, pgUrl } from "../helpers/mart-fixtures.ts";
import { testLake } from "../helpers/test-lake.ts";
import { mb, measure, ratio, seconds, table } from "./bench-kit.ts";

/** BENCH_SYNC_ROWS scales the run (e.g. 1000000 for a quick before/after comparison). */
const ROWS = Number(process.env["BENCH_SYNC_ROWS"] ?? 5_000_000);
const factShape = `
  select
      range * 1000 + 1 as order_item_id,
      range // 4 as order_id,
      (range % 4 + 1)::integer as line_number,
      (1 + hash(range) % 20000)::bigint as product_id,
      (1 + hash(range // 4) % 600000)::bigint as user_id,
      timestamp '2026-08-27' + to_seconds(range % 7776000) as ordered_at,
      (date '2026-08-27' + (range % 90)::integer) as order_date,
      ['completed', 'shipped', 'pending', 'cancelled'][1 + range % 4] as status,
      range % 4 = 0 as is_completed,
      ['beauty', 'groceries', 'laptops', 'smartphones', 'furniture'][1 + range % 5] as category,
      1 + range % 5 as quantity,
      (5 + range % 2000 / 3.0)::decimal(12, 2) as unit_price_usd,
      ((5 + range % 2000 / 3.0) * (1 + range % 5))::decimal(14, 2) as gross_amount_usd,
      (range % 20)::decimal(5, 2) as discount_percentage,
      ((5 + range % 2000 / 3.0) * (1 + range % 5) * (range % 20) / 100)::decimal(14, 2) as discount_amount_usd,
      ((5 + range % 2000 / 3.0) * (1 + range % 5) * (1 - (range % 20) / 100))::decimal(14, 2) as net_amount_usd,
  from range(${ROWS})`;

function psqlCopy(url: string, table: string, csv: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn("psql", [url, "-v", "ON_ERROR_STOP=1", "-c", `\\copy ${table} from '${csv}' csv`], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    proc.on("close", (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`psql exited ${code}`)),
    );
  });
}

export async function benchSync(): Promise<void> {
  const lake = await testLake();
  const scratch = await mkdtemp(join(tmpdir(), "duckmart-bench-sync-"));
  const csv = join(scratch, "fact_order_items.csv");
  const schema = `bench_${process.pid}`;
  await createMart(lake, "fact_order_items", factShape, {
    key: "order_item_id",
    relationships: ["order_id", "product_id"],
  });
  await withDuckdb({}, (c) =>
    c.run(
      `copy (select * from read_parquet(${quoteLiteral(lake.paths.mart("fact_order_items"))})) to ${quoteLiteral(csv)} (format csv, header false)`,
    ),
  );
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const sync = await measure("sync", [lake.dir, schema], { DATABASE_URL: pgUrl });
    // An identical empty table (same columns, primary key and indexes) for psql's \copy.
    await client.query(`create table "${schema}".copy_target (like "${schema}".fact_order_items including all)`);
    const copyMs = await psqlCopy(pgUrl, `"${schema}".copy_target`, csv);
    // Naive multi-row INSERT (1,000 rows per statement) of the first 200k rows, extrapolated.
    await client.query(`create table "${schema}".insert_target (like "${schema}".fact_order_items including all)`);
    const rows = (await client.query(`select * from "${schema}".fact_order_items order by order_item_id limit 200000`))
      .rows as Record<string, unknown>[];
    const columns = Object.keys(rows[0]!);
    const started = performance.now();
    for (let i = 0; i < rows.length; i += 1000) {
      const batch = rows.slice(i, i + 1000);
      const values = batch
        .map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(", ")})`)
        .join(", ");
      await client.query(
        `insert into "${schema}".insert_target (${columns.map((c) => `"${c}"`).join(", ")}) values ${values}`,
        batch.flatMap((row) => columns.map((c) => row[c])),
      );
    }
    const insertMs = ((performance.now() - started) * ROWS) / rows.length;
    table(
      `Sync of a fact_order_items-shaped table, ${ROWS.toLocaleString("en-US")} rows, into an empty table with its primary key and indexes`,
      [
        {
          method: "duckmart sync (DuckDB -> Arrow -> COPY text)",
          time: seconds(sync.ms),
          "vs \\copy": ratio(sync.ms, copyMs),
          "peak RSS": mb(sync.maxRssMb),
        },
        {
          method: "psql \\copy from a CSV written beforehand",
          time: seconds(copyMs),
          "vs \\copy": "1.00x",
          "peak RSS": "",
        },
        {
          method: "naive multi-row INSERT (200k rows, extrapolated)",
          time: seconds(insertMs),
          "vs \\copy": ratio(insertMs, copyMs),
          "peak RSS": "",
        },
        { method: "targets", time: "", "vs \\copy": "sync <= 1.15x", "peak RSS": "<= 1024 MiB" },
      ],
    );
  } finally {
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    await rm(scratch, { recursive: true, force: true });
    await lake.cleanup();
  }
}
