import { join } from "node:path";
import { quoteLiteral, withDuckdb } from "../../cli/core/duckdb.ts";
import { mb, measure, ratio, seconds, table } from "./bench-kit.ts";

export const FILES_LINES = Number(process.env["BENCH_FILES_LINES"] ?? 10_000_000);

/** A Superstore-like order-lines CSV with the columns of tests/fixtures/files/orders.csv (mapped by genericColumns): text ids, 3 lines per order on average, sub-cent discounted amounts. */
export async function writeOrderLinesCsv(path: string, lines: number): Promise<void> {
  await withDuckdb({}, (c) =>
    c.run(`copy (
    select
        'SO-' || lpad((i // 3)::varchar, 8, '0') as "Order ID",
        (timestamp '2023-01-01' + to_seconds(((i // 3) * 9) % 31536000)) as "Order Date",
        'C-' || ((i // 3) * 7919 % 250000) as "Customer ID",
        'Customer ' || ((i // 3) * 7919 % 250000) as "Customer Name",
        'c' || ((i // 3) * 7919 % 250000) || '@example.com' as "Email",
        ['completed', 'completed', 'completed', 'shipped', 'cancelled'][1 + (i // 3) % 5] as "Status",
        'SKU-' || (i * 2654435761 % 20000) as "SKU",
        'Product ' || (i * 2654435761 % 20000) as "Product",
        ['Home', 'Kitchen', 'Decor', 'Garden', 'Office'][1 + (i * 2654435761 % 20000) % 5] as "Category",
        1 + i % 4 as "Qty",
        round(5 + (i * 2654435761 % 20000) / 100.0, 2) as "Unit Price",
        [0, 0, 10, 15, 12.5][1 + i % 5] as "Discount %",
        round((1 + i % 4) * round(5 + (i * 2654435761 % 20000) / 100.0, 2) * (1 - [0, 0, 10, 15, 12.5][1 + i % 5] / 100), 5) as "Net",
        ['web', 'store'][1 + i % 2] as "Channel",
    from range(${lines}) t(i)
) to ${quoteLiteral(path)} (header, delimiter ',')`),
  );
}

/** The files source landing a ~10M-line CSV against DuckDB's own CSV-to-Parquet copy of the same file. */
export async function benchFiles(dir: string): Promise<void> {
  const csv = join(dir, "order-lines.csv");
  console.log(`(writing a ${FILES_LINES.toLocaleString("en-US")}-line CSV in ${dir}, not timed)`);
  await writeOrderLinesCsv(csv, FILES_LINES);
  const copy = await measure("copy-csv", [join(dir, "copy"), csv]);
  const files = await measure("files", [join(dir, "files"), csv]);
  const phase = (name: string) => files.phasesMs?.[name] ?? Number.NaN;
  table(`Files source: ${FILES_LINES.toLocaleString("en-US")}-line order CSV (same DuckDB memory limit and threads)`, [
    { measure: "DuckDB copy (select * from read_csv(...)) to parquet", value: seconds(copy.ms), target: "" },
    { measure: "files source landing (5 entities, validated)", value: seconds(files.ms), target: "" },
    { measure: "ratio", value: ratio(files.ms, copy.ms), target: "<= 1.30x" },
    // CPU time counts the work itself: wall time also counts whatever else the machine is running.
    {
      measure: "CPU time, DuckDB copy / files source",
      value: `${seconds(copy.cpuMs ?? NaN)} / ${seconds(files.cpuMs ?? NaN)}`,
      target: "",
    },
    { measure: "CPU ratio", value: ratio(files.cpuMs ?? NaN, copy.cpuMs ?? NaN), target: "" },
    // Where the files source's time goes: the one pass over the file (read, type, check every line, write
    // them in file order), then the passes over the checked lines that only an entity landing needs.
    { measure: "  of which: lines read, typed, checked", value: seconds(phase("lines")), target: "" },
    { measure: "  lines pass / DuckDB copy", value: ratio(phase("lines"), copy.ms), target: "" },
    { measure: "  of which: orders, customers, products", value: seconds(phase("entities")), target: "" },
    { measure: "  of which: entities written", value: seconds(phase("landing")), target: "" },
    { measure: "order items landed", value: files.rows.toLocaleString("en-US"), target: "" },
    { measure: "peak RSS, DuckDB copy", value: mb(copy.maxRssMb), target: "" },
    { measure: "peak RSS, files source", value: mb(files.maxRssMb), target: "<= 2048 MiB" },
  ]);
}
