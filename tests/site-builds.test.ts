// @module-tag chromium
// @module-tag slow
// @module-tag e2e
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frameworkBin, shellRoot, siteLock, siteRoot } from "../observable/build-site.ts";
import { silentLogger } from "../cli/core/logger.ts";
import { withSiteLock } from "../observable/site-lock.ts";
import { cachedShell, htmlFiles, shellKey, stampShell } from "../observable/site-shell.ts";
import { launchChromium } from "./helpers/browser.ts";
import { runCli, type CliResult } from "./helpers/cli.ts";
import { noChromium } from "./helpers/services.ts";
import { serveFolder } from "./helpers/static-server.ts";
import { readParquet, testLake, type TestLake } from "./helpers/test-lake.ts";

// Framework builds the pages once per version of the code (the shell); every site build stamps its own data files and
// footer into a copy. These tests hold that to Framework's own build, follow a second day's build onto every page,
// and read a product's price history, day by day, against the raw snapshots.
let lake: TestLake;
const runs: CliResult[] = [];
const builds: string[] = [];
let shellAfterDay1: { dir: string; mtimeMs: number } | null = null;
let browser: Browser;
const siteDir = () => lake.config.siteDir!;
const days = ["2026-11-24", "2026-11-25"];

const currentBuild = async () =>
  (JSON.parse(await readFile(join(lake.dir, "builds", "current.json"), "utf8")) as { buildId: string }).buildId;

async function shellState(): Promise<{ dir: string; mtimeMs: number } | null> {
  const dir = cachedShell(shellRoot, await shellKey(siteRoot));
  return dir ? { dir, mtimeMs: (await stat(join(dir, "index.html"))).mtimeMs } : null;
}

beforeAll(async () => {
  lake = await testLake();
  for (const day of days) {
    runs.push(await runCli(["run", "--data-dir", lake.dir, "--as-of", day], { DUCKMART_SITE_DIR: siteDir() }));
    builds.push(await currentBuild());
    if (!shellAfterDay1) shellAfterDay1 = await shellState();
  }
  if (!noChromium) browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await lake?.cleanup();
});

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** Framework's own build of the pages (no shell), over the data files of src/data/gen, with the build's footer. */
function frameworkBuild(output: string, buildDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [frameworkBin(), "build"], {
      cwd: siteRoot,
      env: {
        ...process.env,
        DUCKMART_SITE_OUTPUT: output,
        DUCKMART_DATA_DIR: lake.dir,
        DUCKMART_BUILD_DIR: buildDir,
        OBSERVABLE_TELEMETRY_DISABLE: "true",
        DUCKMART_SITE_SHELL: "",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`Framework exited ${code}: ${err}`))));
  });
}

describe("a site per build, from one build of the pages", () => {
  it("stamps the second day's build and data into every page, without building the pages again", async () => {
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(builds[0]).not.toBe(builds[1]);
    // Framework did not run for the second day: the shell is the one the first day left.
    expect(await shellState()).toEqual(shellAfterDay1);
    expect(existsSync(join(shellAfterDay1!.dir, "_file", "data", "gen")), "the shell keeps no data file").toBe(false);
    const pages = await htmlFiles(siteDir());
    const products = await readParquet(
      join(lake.dir, "marts", "dim_products.parquet"),
      "select count(*) as n from $file",
    );
    expect(pages.filter((p) => p.includes("/products/"))).toHaveLength(Number(products[0]!["n"]));
    for (const page of pages) {
      const html = await readFile(page, "utf8");
      const where = relative(siteDir(), page);
      expect(html, where).toContain(`<code id="build-id">${builds[1]}</code>`);
      expect(html, where).toContain(`data-as-of="${days[1]}"`);
      expect(html, where).not.toContain(builds[0]!);
      const attached = [...html.matchAll(/registerFile\("[^"]*data\/gen\/([\w-]+)\.json", (\{[^\n]*?\})\);/g)];
      expect(attached.length, where).toBeGreaterThan(0);
      for (const [, name, spec] of attached) {
        const { path, size } = JSON.parse(spec!) as { path: string; size: number };
        const file = join(page, "..", path);
        expect((await stat(file)).size, `${where}: ${path}`).toBe(size);
        if (name === "daily") expect(JSON.parse(await readFile(file, "utf8")).asOf, where).toBe(days[1]);
      }
    }
  });

  it("builds exactly the pages Framework builds from the same data and footer", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "duckmart-shell-"));
    try {
      // Under the site lock: src/data/gen stays this lake's second day while Framework and the stamp read it.
      await withSiteLock(siteLock, silentLogger, async () => {
        const shell = cachedShell(shellRoot, await shellKey(siteRoot));
        expect(shell).not.toBeNull();
        await frameworkBuild(join(scratch, "framework"), join(lake.dir, "builds", builds[1]!));
        const index = await readFile(join(scratch, "framework", "index.html"), "utf8");
        const footer = /<footer id="observablehq-footer">\n<div>([\s\S]*?)<\/div>\n<\/footer>/.exec(index)![1]!;
        expect(footer).toContain(builds[1]);
        await stampShell(shell!, join(scratch, "stamped"), join(siteRoot, "src", "data", "gen"), footer);
      });
      const files = await allFiles(join(scratch, "framework"));
      expect((await allFiles(join(scratch, "stamped"))).sort()).toEqual(files.sort());
      for (const file of files) {
        const [a, b] = await Promise.all(["framework", "stamped"].map((d) => readFile(join(scratch, d, file))));
        expect(b!.equals(a!), file).toBe(true);
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 120_000);

  it.skipIf(noChromium)("shows a product's price history: its price on each day it changed", async () => {
    const prices = await Promise.all(
      days.map((day) =>
        readParquet(
          join(lake.dir, "raw", "sample", "products", `as_of=${day}`, "*", "data.parquet"),
          "select id, price, discountPercentage as discount from $file order by id",
        ),
      ),
    );
    const second = new Map(prices[1]!.map((r) => [Number(r["id"]), r]));
    const changed = prices[0]!.find((r) => {
      const next = second.get(Number(r["id"]));
      return (
        next && (Number(next["price"]) !== Number(r["price"]) || Number(next["discount"]) !== Number(r["discount"]))
      );
    });
    expect(changed, "the sample changes some prices from one day to the next").toBeDefined();
    const id = Number(changed!["id"]);
    const expected = [changed!, second.get(id)!].map((r, i) => [
      days[i],
      `$${Number(r["price"]).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
      Number(r["discount"]).toFixed(1),
    ]);
    const site = await serveFolder(siteDir());
    try {
      const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const problems: string[] = [];
      tab.on("pageerror", (e) => problems.push(e.message));
      await tab.goto(`${site.url}/products/${id}.html?range=all`, { waitUntil: "networkidle" });
      await tab.waitForFunction(() => document.querySelectorAll(".observablehq--loading").length === 0);
      const card = tab.locator("div.card:has(table)");
      const rows = await card
        .locator("tbody tr")
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));
      expect(rows.map((r) => r.filter(Boolean).slice(0, 3))).toEqual(expected);
      // One dot per change on the chart, at the change's day.
      expect(await card.locator('g[aria-label="dot"] circle').count()).toBe(2);
      expect(problems).toEqual([]);
      await tab.close();
    } finally {
      await site.close();
    }
  });

  it.skipIf(noChromium)(
    "ends a price chart's day axis at the as-of, for one price and for a one-day range",
    async () => {
      // A product whose price and discount were the same on both days: one version, drawn from the first day on.
      const rows = await Promise.all(
        days.map((day) =>
          readParquet(
            join(lake.dir, "raw", "sample", "products", `as_of=${day}`, "*", "data.parquet"),
            "select id, price, discountPercentage as discount from $file order by id",
          ),
        ),
      );
      const first = new Map(rows[0]!.map((r) => [Number(r["id"]), r]));
      const same = rows[1]!.find((r) => {
        const before = first.get(Number(r["id"]));
        return before && before["price"] === r["price"] && before["discount"] === r["discount"];
      });
      expect(same, "the sample keeps some prices from one day to the next").toBeDefined();
      const site = await serveFolder(siteDir());
      try {
        const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        const problems: string[] = [];
        tab.on("pageerror", (e) => problems.push(e.message));
        const axis = async (query: string) => {
          await tab.goto(`${site.url}/products/${Number(same!["id"])}.html?${query}`, { waitUntil: "networkidle" });
          await tab.waitForFunction(() => document.querySelectorAll(".observablehq--loading").length === 0);
          const card = tab.locator("div.card:has(table)");
          const line = await card.locator('g[aria-label="line"] path').first().boundingBox();
          return {
            ticks: await card.locator('g[aria-label="x-axis tick label"] text').allTextContents(),
            lineWidth: Math.round(line?.width ?? 0),
          };
        };
        // days[1] (Nov 25) is the as-of: no tick for the day after it.
        const all = await axis("range=all");
        expect(all.ticks).toEqual(["Nov 24", "Nov 25"]);
        expect(all.lineWidth).toBeGreaterThan(100);
        const oneDay = await axis(`from=${days[1]}&to=${days[1]}`);
        expect(oneDay.ticks).toEqual(["Nov 25"]);
        expect(oneDay.lineWidth).toBeGreaterThan(100);
        expect(problems).toEqual([]);
        await tab.close();
      } finally {
        await site.close();
      }
    },
  );
});
