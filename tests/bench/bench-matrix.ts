import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { loadConfig } from "../../cli/core/config.ts";
import { silentLogger } from "../../cli/core/logger.ts";
import { lakePaths } from "../../cli/core/paths.ts";
import { extract, paymentEntityColumns } from "../../extract/index.ts";
import { transform } from "../../transforms/index.ts";
import { BIG_SCALE, benchRoot, seconds, table } from "./bench-kit.ts";

/**
 * The sample must pass every error-severity data test at every size. The suite covers scales 1, 10 and 50; this
 * covers the large ones: scales 1,000 and 13,700 (about 10M order items) for seeds 1 to 5. BENCH_MATRIX_SCALES
 * (comma list) narrows it: the large scale takes minutes per seed.
 */
export async function benchMatrix(): Promise<void> {
  const scales = (process.env["BENCH_MATRIX_SCALES"] ?? `1000,${BIG_SCALE}`).split(",").map(Number);
  const rows: Record<string, string | number>[] = [];
  let failures = 0;
  for (const scale of scales) {
    for (const seed of [1, 2, 3, 4, 5]) {
      const dataDir = join(benchRoot, `matrix-${scale}-${seed}`);
      await rm(dataDir, { recursive: true, force: true });
      await mkdir(dataDir, { recursive: true });
      const config = await loadConfig({ flags: { dataDir, asOf: "2026-11-24", scale, seed }, env: {} });
      const context = { config, paths: lakePaths(dataDir), logger: silentLogger };
      const started = performance.now();
      try {
        await extract(context);
        const summary = await transform({ ...context, paymentColumns: paymentEntityColumns() }, { test: true });
        const failed = summary.tests.filter((t) => t.severity === "error" && t.status !== "pass").map((t) => t.id);
        failures += failed.length ? 1 : 0;
        rows.push({
          scale,
          seed,
          "order items": summary.build.models.find((m) => m.name === "fact_order_items")?.rowCount ?? 0,
          "error tests": summary.tests.filter((t) => t.severity === "error").length,
          failed: failed.join(", ") || "none",
          time: seconds(performance.now() - started),
        });
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  }
  table("duckmart run's data tests on the sample, large scales, seeds 1 to 5 (target: none failed)", rows);
  if (failures) process.exitCode = 1;
}
