import { paymentEntityColumns } from "../../extract/index.ts";
// One measured task per process, so peak RSS belongs to that task alone. Prints `BENCH {json}`.
import { readFile } from "node:fs/promises";
import { loadConfig } from "../../cli/core/config.ts";
import { duckdbOptionsFor, quoteLiteral, withDuckdb } from "../../cli/core/duckdb.ts";
import { silentLogger } from "../../cli/core/logger.ts";
import { lakePaths } from "../../cli/core/paths.ts";
import { extract } from "../../extract/index.ts";
import { transform } from "../../transforms/index.ts";
import { genericColumns } from "../helpers/files-lake.ts";

const [task, dataDir, extra] = process.argv.slice(2);
const config = await loadConfig({
  flags: {
    dataDir,
    asOf: "2026-11-24",
    scale: task === "extract" ? Number(extra) : undefined,
    source: task === "dummyjson" ? "dummyjson" : undefined,
    "dummyjson.url": task === "dummyjson" ? extra : undefined,
    ...(task === "files"
      ? {
          source: "files",
          "files.orderLines.path": extra,
          ...Object.fromEntries(Object.entries(genericColumns).map(([k, v]) => [`files.orderLines.columns.${k}`, v])),
        }
      : {}),
  },
  env: {},
});
const context = { config, paths: lakePaths(config.dataDir), logger: silentLogger };
const started = performance.now();
let rows = 0;
let phasesMs: Record<string, number> | undefined;
switch (task) {
  case "extract":
  case "dummyjson":
    rows = (await extract(context)).sources[0]!.landed.reduce(
      (n, l) => n + (l.entity === "order_items" || task === "dummyjson" ? l.rowCount : 0),
      0,
    );
    break;
  case "transform":
    rows = (await transform({ ...context, paymentColumns: paymentEntityColumns() })).models.reduce(
      (n, m) => n + (m.rowCount ?? 0),
      0,
    );
    break;
  case "files": {
    const summary = (await extract(context)).sources[0]!;
    rows = summary.landed.find((l) => l.entity === "order_items")!.rowCount;
    phasesMs = summary.phasesMs;
    break;
  }
  case "copy-csv":
    await withDuckdb(duckdbOptionsFor(config), (c) =>
      c.run(
        `copy (select * from read_csv(${quoteLiteral(extra!)})) to ${quoteLiteral(`${dataDir}.parquet`)} (format parquet, compression zstd)`,
      ),
    );
    break;
  case "direct-sql": {
    // The same statements the engine runs, read from a plain script: no engine around them.
    const statements = JSON.parse(await readFile(extra!, "utf8")) as string[];
    await withDuckdb(duckdbOptionsFor(config), async (c) => {
      for (const sql of statements) await c.run(sql);
    });
    break;
  }
  default:
    throw new Error(`unknown task ${task}`);
}
const ms = performance.now() - started;
/** CPU time of the whole process (every DuckDB thread), in ms: less sensitive than wall time to other jobs. */
function cpuMs(): number {
  const usage = process.resourceUsage();
  return (usage.userCPUTime + usage.systemCPUTime) / 1000;
}
process.stdout.write(
  `BENCH ${JSON.stringify({ task, ms, rows, phasesMs, cpuMs: cpuMs(), maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
