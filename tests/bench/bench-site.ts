import { execFileSync, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { paymentEntityColumns } from "../../extract/index.ts";
import { loadConfig } from "../../cli/core/config.ts";
import { silentLogger } from "../../cli/core/logger.ts";
import { lakePaths } from "../../cli/core/paths.ts";
import { shellRoot, siteRoot } from "../../observable/build-site.ts";
import { pagePayloads } from "../../observable/page-payloads.ts";
import { transform } from "../../transforms/index.ts";
import { binPath } from "../helpers/cli.ts";
import { benchRoot, bigLake, commitBefore, ensureBigLake, ratio, seconds, sourceTree, table } from "./bench-kit.ts";

const databaseUrl = process.env["DUCKMART_TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
/** The code before the site shell: Framework built every page on every site build. */
const baselineRef = () => commitBefore("^Site: Framework builds the pages once per version", "BENCH_SITE_BASELINE_REF");

interface Timed {
  ms: number;
  maxRssMb: number;
}

/** One `duckmart` command in a child process (the built CLI of `bin`), wall clock and peak RSS (GNU time). */
function timedCli(bin: string, args: string[], env: Record<string, string>): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "RSS %M", process.execPath, bin, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => {
      const ms = performance.now() - started;
      const rss = Number(/RSS (\d+)/.exec(err)?.[1] ?? 0) / 1024;
      if (code === 0) resolve({ ms, maxRssMb: rss });
      else reject(new Error(`duckmart ${args.join(" ")} exited ${code}: ${err}`));
    });
  });
}

/** `npm start` is `duckmart run` (extract, transform, test, sync, site): timed as a whole, wall clock. */
const npmStart = (bin: string, dataDir: string, schema: string) =>
  timedCli(bin, ["run", "--data-dir", dataDir, "--as-of", "2026-11-24", "--schema", schema], {
    DATABASE_URL: databaseUrl,
    DUCKMART_SITE_DIR: join(dataDir, "site"),
  });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

/** The baseline's source tree with its CLI built and Framework's npm cache (bundled libraries) warmed like ours. */
async function baselineTree(): Promise<string> {
  await mkdir(benchRoot, { recursive: true });
  const tree = await sourceTree(baselineRef());
  execFileSync(process.execPath, [join(tree, "cli", "build.js")], { stdio: "ignore" });
  const cache = join(siteRoot, "src", ".observablehq", "cache");
  for (const part of ["_node", "_npm", "_observablehq"])
    if (existsSync(join(cache, part)))
      await cp(join(cache, part), join(tree, "observable", "src", ".observablehq", "cache", part), { recursive: true });
  return tree;
}

export async function benchSite(): Promise<void> {
  // Both sides run their install-time CLI build (npm install runs it), as a user's `npm start` does.
  execFileSync(process.execPath, [join(siteRoot, "..", "cli", "build.js")], { stdio: "ignore" });
  const tree = await baselineTree();
  const baseBin = join(tree, "cli", "duckmart.js");
  // A fresh clone's state: no site shell yet (Framework's bundled libraries are cached for both sides, as after any
  // first build). The runs alternate between the two sides so both meet the same load.
  await rm(shellRoot, { recursive: true, force: true });
  const lakes = { now: await mkdtemp(join(tmpdir(), "duckmart-bench-site-")), before: join(tree, "lake") };
  const runs: { now: number[]; before: number[] } = { now: [], before: [] };
  const loads: string[] = [];
  for (let i = 0; i < 5; i++) {
    loads.push(load());
    runs.now.push((await npmStart(binPath, lakes.now, "bench_site")).ms);
    runs.before.push((await npmStart(baseBin, lakes.before, "bench_site_before")).ms);
  }
  loads.push(load());
  table("npm start (duckmart run at scale 1: extract, transform, test, sync, site), 5 runs each, alternating", [
    ...(["now", "before"] as const).map((side) => ({
      code: side === "now" ? "site shell (this checkout)" : "before: Framework builds every page",
      median: seconds(median(runs[side])),
      "first run (cold)": seconds(runs[side][0]!),
      "min-max": `${seconds(Math.min(...runs[side]))}-${seconds(Math.max(...runs[side]))}`,
      runs: runs[side].map(seconds).join(", "),
      target: side === "now" ? "<= 7 s" : "",
    })),
  ]);
  console.log(
    `median ratio before/now: ${ratio(median(runs.before), median(runs.now))}; load average (1, 5, 15 min) during the runs: ${loads.join(" | ")}`,
  );

  await ensureBigLake();
  const bigConfig = await loadConfig({ flags: { dataDir: bigLake, siteDir: join(bigLake, "site") }, env: {} });
  const context = { config: bigConfig, paths: lakePaths(bigLake), logger: silentLogger };
  await transform({ ...context, paymentColumns: paymentEntityColumns() }, { test: true }); // untimed: the marts
  const bigLoad = [load()];
  const site = (bin: string, dir: string) =>
    timedCli(bin, ["site", "build", "--data-dir", bigLake], { DUCKMART_SITE_DIR: join(bigLake, dir) });
  const big = await site(binPath, "site");
  bigLoad.push(load());
  const bigBefore = await site(baseBin, "site-before");
  bigLoad.push(load());
  const payloads = await pagePayloads(join(bigLake, "site"));
  const products = payloads.find((p) => p.page.startsWith("products/"))?.page ?? "";
  table(`Site build at about 10M order items (DuckDB memory limit ${bigConfig.duckdb.memoryLimit}), one run each`, [
    {
      code: "site shell (pages built by the scale-1 runs)",
      "build time": seconds(big.ms),
      "peak RSS": `${Math.round(big.maxRssMb)} MiB`,
      pages: products,
      target: "<= 30 s",
    },
    {
      code: "before: Framework builds every page",
      "build time": seconds(bigBefore.ms),
      "peak RSS": `${Math.round(bigBefore.maxRssMb)} MiB`,
      pages: "",
      target: "",
    },
  ]);
  console.log(`ratio before/now: ${ratio(bigBefore.ms, big.ms)}; load average: ${bigLoad.join(" | ")}`);
  table(
    "Data payload per page at about 10M order items (target <= 1 MB)",
    payloads.map((p) => ({
      page: p.page,
      payload: `${(p.dataBytes / 1024).toFixed(1)} KiB`,
      "within budget": p.dataBytes <= 1_000_000 ? "yes" : "NO",
    })),
  );
  const top = payloads.reduce((a, b) => (b.dataBytes > a.dataBytes ? b : a));
  console.log(`\nLargest page payload at about 10M items: ${top.page}, ${(top.dataBytes / 1024).toFixed(1)} KiB`);
  await rm(lakes.now, { recursive: true, force: true });
  await rm(tree, { recursive: true, force: true });
}
