import { paymentEntityColumns } from "../../extract/index.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../cli/core/config.ts";
import { silentLogger } from "../../cli/core/logger.ts";
import { lakePaths } from "../../cli/core/paths.ts";
import { buildSite } from "../../observable/build-site.ts";
import { transform } from "../../transforms/index.ts";
import { measure, seconds, table, bigLake, ensureBigLake } from "./bench-kit.ts";

async function build(dataDir: string) {
  const config = await loadConfig({ flags: { dataDir, asOf: "2026-11-24" }, env: {} });
  const context = { config, paths: lakePaths(dataDir), logger: silentLogger };
  await transform({ ...context, paymentColumns: paymentEntityColumns() }, { test: true });
  return buildSite(context);
}

export async function benchSite(): Promise<void> {
  const small = await mkdtemp(join(tmpdir(), "duckmart-bench-site-"));
  await measure("extract", [small, "1"]);
  const one = await build(small);
  await ensureBigLake();
  const big = await build(bigLake);
  table("Site build (Observable Framework, offline)", [
    { scale: "1 (about DummyJSON's size)", "build time": seconds(one.durationMs), target: "" },
    { scale: "13,700 (about 10M order items)", "build time": seconds(big.durationMs), target: "<= 60 s" },
  ]);
  table(
    "Data payload per page (target <= 1 MB at the large scale)",
    one.payloads.map((p, i) => ({
      page: p.page,
      "scale 1": `${(p.dataBytes / 1024).toFixed(1)} KiB`,
      "about 10M items": `${((big.payloads[i]?.dataBytes ?? 0) / 1024).toFixed(1)} KiB`,
      "within budget": (big.payloads[i]?.dataBytes ?? 0) <= 1_000_000 ? "yes" : "NO",
    })),
  );
  await rm(small, { recursive: true, force: true });
}
