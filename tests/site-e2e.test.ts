// @module-tag postgres
// @module-tag chromium
// @module-tag slow
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { noPostgres, noChromium } from "./helpers/services.ts";
import { buildSite } from "../observable/build-site.ts";
import { siteRun } from "./helpers/site-run.ts";
import { rawFile, readParquet } from "./helpers/test-lake.ts";

const artifacts = new URL("./artifacts/", import.meta.url).pathname;
const pages = ["index", "sales", "customers", "products", "operations", "quality", "lineage"];
const pipeline = siteRun("e2e");
const { siteDir, mart } = pipeline;
const money = (v: number) => `${v < 0 ? "\u2212" : ""}$${Math.round(Math.abs(v)).toLocaleString("en-US")}`;
beforeAll(() => mkdir(artifacts, { recursive: true }));

async function open(page: string): Promise<{ tab: Page; problems: string[] }> {
  const tab = await pipeline.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  tab.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  tab.on("requestfailed", (r) => problems.push(`failed request: ${r.url()}`));
  tab.on(
    "request",
    (r) =>
      !r.url().startsWith(pipeline.site.url) &&
      !r.url().startsWith("data:") &&
      problems.push(`off-origin request: ${r.url()}`),
  );
  await tab.goto(`${pipeline.site.url}/${page}.html`, { waitUntil: "networkidle" });
  await tab.waitForFunction(() => document.querySelectorAll(".observablehq--loading").length === 0);
  return { tab, problems };
}

const kpi = (tab: Page, id: string) => tab.locator(`.kpi[data-kpi="${id}"] .value`).textContent();

describe.skipIf(noPostgres || noChromium)("duckmart run, end to end", () => {
  it("produces marts, warehouse tables, a site and a manifest", async () => {
    expect(pipeline.run.code, pipeline.run.stderr).toBe(0);
    for (const m of ["fact_orders", "fact_order_items", "dim_customers", "daily_revenue", "payments_reconciliation"])
      expect(existsSync(pipeline.lake.paths.mart(m))).toBe(true);
    const tables = await pipeline.db.client.query(
      `select table_name from information_schema.tables where table_schema = $1 order by 1`,
      [pipeline.db.schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["fact_orders", "daily_revenue", "duckmart_sync_state", "duckmart_runs"]),
    );
    const orders = (await mart("fact_orders", "select count(*) as n from $file"))[0]!["n"];
    expect(
      Number(
        (await pipeline.db.client.query(`select count(*) as n from "${pipeline.db.schema}".fact_orders`)).rows[0].n,
      ),
    ).toBe(orders);
    const runs = await readdir(pipeline.lake.paths.runsDir);
    expect(runs).toHaveLength(1);
    const manifest = JSON.parse(await readFile(join(pipeline.lake.paths.runsDir, runs[0]!), "utf8"));
    expect(manifest.status).toBe("success");
    expect(manifest.steps.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual([
      "extract:ok",
      "freshness:ok",
      "transform:ok",
      "test:ok",
      "sync:ok",
      "site:ok",
    ]);
    expect(manifest.versions.duckdb).toMatch(/^v1\./);
    expect(manifest.tests.length).toBeGreaterThan(100);
    const history = await pipeline.db.client.query(
      `select status from "${pipeline.db.schema}".duckmart_runs where run_id = $1`,
      [manifest.runId],
    );
    expect(history.rows).toEqual([{ status: "success" }]);
    for (const page of pages) expect(existsSync(join(siteDir(), `${page}.html`))).toBe(true);
  });

  it("renders every page with no errors, no failed or off-origin requests, and charts drawn", async () => {
    const build = JSON.parse(await readFile(join(pipeline.lake.dir, "builds", "current.json"), "utf8"))
      .buildId as string;
    for (const page of pages) {
      const { tab, problems } = await open(page);
      // Every page names the build it shows, with its sources.
      expect(await tab.locator("#build-id").textContent(), page).toBe(build);
      expect(await tab.locator("footer").textContent(), page).toContain("shop source sample · payments sample");
      expect(problems, page).toEqual([]);
      expect(await tab.locator(".observablehq--error").count(), page).toBe(0);
      const marks = await tab.locator("svg [aria-label] *").count();
      if (page !== "quality") expect(marks, page).toBeGreaterThan(5);
      await tab.screenshot({ path: join(artifacts, `${page}.png`), fullPage: true });
      await tab.close();
    }
  });

  it("shows executive KPIs equal to SQL on the marts, and the category filter changes them", async () => {
    const { tab } = await open("index");
    const window = "order_date > date '2026-11-24' - 30 and order_date <= date '2026-11-24'";
    const revenue = Number(
      (await mart("daily_revenue", `select sum(revenue_usd)::double as v from $file where ${window}`))[0]!["v"],
    );
    const orders = (
      await mart(
        "fact_orders",
        `select count(*) as n, count(distinct user_id) as c, sum(order_amount_usd) filter (where is_completed)::double / count(*) filter (where is_completed) as aov from $file where ${window}`,
      )
    )[0]!;
    expect(await kpi(tab, "revenue")).toBe(money(revenue));
    expect(await kpi(tab, "orders")).toBe(Number(orders["n"]).toLocaleString("en-US"));
    expect(await kpi(tab, "customers")).toBe(Number(orders["c"]).toLocaleString("en-US"));
    expect(await kpi(tab, "aov")).toBe(
      `$${Number(orders["aov"]).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
    );

    const trendBefore = await tab.locator("svg").nth(0).innerHTML();
    const category = String(
      (
        await mart(
          "fact_order_items",
          `select category from $file where ${window} and is_completed group by 1 order by sum(net_amount_usd) desc limit 1 offset 1`,
        )
      )[0]!["category"],
    );
    await tab.locator('form:has(> label:text-is("Category")) select').selectOption({ label: category });
    const categoryRevenue = Number(
      (
        await mart(
          "fact_order_items",
          `select sum(net_amount_usd)::double as v from $file where ${window} and is_completed and category = '${category}'`,
        )
      )[0]!["v"],
    );
    await expect.poll(() => kpi(tab, "revenue")).toBe(money(categoryRevenue));
    expect(await tab.locator("svg").nth(0).innerHTML()).not.toBe(trendBefore);
    await tab.screenshot({ path: join(artifacts, "index-filtered.png"), fullPage: true });
    await tab.close();
  });

  it("shows today's operations KPIs equal to SQL", async () => {
    const { tab } = await open("operations");
    const today = (
      await mart(
        "daily_revenue",
        "select revenue_usd::double as r, order_count as n, customer_count as c from $file where order_date = date '2026-11-24'",
      )
    )[0]!;
    expect(await kpi(tab, "today-revenue")).toBe(money(Number(today["r"])));
    expect(await kpi(tab, "today-orders")).toBe(Number(today["n"]).toLocaleString("en-US"));
    expect(await kpi(tab, "today-customers")).toBe(Number(today["c"]).toLocaleString("en-US"));
    await tab.close();
  });

  it("shows freshness against its limits and the run history on the Quality page", async () => {
    const { tab } = await open("quality");
    const [runFile] = await readdir(pipeline.lake.paths.runsDir);
    const manifest = JSON.parse(await readFile(join(pipeline.lake.paths.runsDir, runFile!), "utf8"));
    expect(await tab.locator("#freshness-summary").innerText()).toBe(
      `Checked by run ${manifest.runId} at ${manifest.freshness.checkedAt}: fresh.`,
    );
    // One bar per rated check, and a warn and an error tick per limit, in the freshness chart.
    const rated = manifest.freshness.checks.filter((c: { ageHours?: number }) => c.ageHours !== undefined);
    const freshnessChart = tab.locator("svg", { has: tab.locator("text", { hasText: "Age (hours)" }) });
    expect(await freshnessChart.locator('g[aria-label="bar"] rect').count()).toBe(rated.length);
    expect(await freshnessChart.locator('g[aria-label="tick"] line').count()).toBe(rated.length * 2);
    // The run history: the run that built the site is still running, so no duration yet, and one run on its day.
    expect(await tab.getByText("No finished run yet to chart durations").count()).toBe(1);
    const outcomes = tab.locator("svg", { has: tab.locator("text", { hasText: "Runs" }) }).last();
    expect(await outcomes.locator('g[aria-label="bar"] rect').count()).toBe(1);
    await tab.close();
  });

  it("publishes no email or phone number of any user anywhere in the built site", async () => {
    const users = await readParquet(rawFile(pipeline.lake.paths, "sample", "users"), "select email, phone from $file");
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else files.push(path);
      }
    };
    await walk(siteDir());
    const text = (await Promise.all(files.map((f) => readFile(f, "latin1")))).join("\n");
    expect(users.length).toBeGreaterThan(500);
    const leaked = users.filter((u) => text.includes(String(u["email"])) || text.includes(String(u["phone"])));
    expect(leaked).toEqual([]);
  });

  it("fails the build with a clear message when a loader would publish a column tagged pii", async () => {
    const original = await readFile(pipeline.lake.paths.catalog, "utf8");
    const catalog = JSON.parse(original);
    const customers = catalog.nodes.find((n: { name: string }) => n.name === "dim_customers");
    customers.columns.find((c: { name: string }) => c.name === "display_name").pii = true;
    await writeFile(pipeline.lake.paths.catalog, JSON.stringify(catalog));
    try {
      await expect(
        buildSite({ config: pipeline.lake.config, paths: pipeline.lake.paths, logger: pipeline.lake.logger }),
      ).rejects.toThrow(
        "Privacy guard: site file customers.json outputs column(s) tagged pii in the catalog: display_name (dim_customers.display_name)",
      );
    } finally {
      await writeFile(pipeline.lake.paths.catalog, original);
    }
    // The failed build left the last good site in place.
    expect(existsSync(join(siteDir(), "index.html"))).toBe(true);
  });
});
