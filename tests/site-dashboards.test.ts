// @module-tag postgres
// @module-tag chromium
// @module-tag e2e
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { noChromium, noPostgres } from "./helpers/services.ts";
import { siteRun } from "./helpers/site-run.ts";
import { rawFile, readParquet } from "./helpers/test-lake.ts";

// The dashboards as a business user reads and shares them: legible at 1400 and 390 px, filters in the URL,
// drill-down pages, CSV export, one metric definition for the site and Postgres, and no personal data anywhere.
const asOf = "2026-11-24";
const pages = ["index", "sales", "customers", "products", "operations", "quality", "lineage"];
const pipeline = siteRun("dash");
const { siteDir, mart } = pipeline;
const usd0 = (v: number) => `${v < 0 ? "\u2212" : ""}$${Math.round(Math.abs(v)).toLocaleString("en-US")}`;

async function open(path: string, width = 1400): Promise<{ tab: Page; problems: string[] }> {
  const tab = await pipeline.browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
  const problems: string[] = [];
  tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  tab.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  tab.on(
    "request",
    (r) =>
      !r.url().startsWith(pipeline.site.url) && !r.url().startsWith("blob:") && problems.push(`off-origin: ${r.url()}`),
  );
  await tab.goto(`${pipeline.site.url}/${path}`, { waitUntil: "networkidle" });
  await tab.waitForFunction(() => document.querySelectorAll(".observablehq--loading").length === 0);
  await tab.waitForTimeout(150); // declutter runs on the next animation frame
  return { tab, problems };
}

const kpi = (tab: Page, id: string) => tab.locator(`.kpi[data-kpi="${id}"] .value`).textContent();
const select = (tab: Page, label: string) => tab.locator(`form:has(> label:text-is("${label}")) select`);
const chosen = (tab: Page, label: string) =>
  select(tab, label).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent);

/** Rendered heights of every visible SVG text, and pairs of overlapping text labels within one mark. */
function measureText(tab: Page) {
  return tab.evaluate(() => {
    const visible = [...document.querySelectorAll("svg text")].filter((t) => {
      const box = t.getBoundingClientRect();
      return t.textContent!.trim() !== "" && box.height > 0 && !t.closest('[display="none"]');
    });
    const heights = visible.map((t) => ({ text: t.textContent!, height: t.getBoundingClientRect().height }));
    const overlaps: string[] = [];
    for (const g of document.querySelectorAll('g[aria-label="text"]')) {
      const boxes = [...g.querySelectorAll("text")]
        .filter((t) => t.getAttribute("display") !== "none")
        .map((t) => ({ t: t.textContent!, b: t.getBoundingClientRect() }));
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i]!.b, boxes[j]!.b];
          if (a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top)
            overlaps.push(`${boxes[i]!.t} / ${boxes[j]!.t}`);
        }
    }
    return { heights, overlaps, scrollWidth: document.documentElement.scrollWidth };
  });
}

describe.skipIf(noPostgres || noChromium)("dashboards", () => {
  it("built every page, a page per category and per product, and footers with the build, its as-of and its sources' age", async () => {
    expect(pipeline.run.code, pipeline.run.stderr).toBe(0);
    const categories = await mart("dim_products", "select count(distinct category) as n from $file");
    const products = await mart("dim_products", "select count(*) as n from $file");
    expect((await readdir(join(siteDir(), "categories"))).filter((f) => f.endsWith(".html"))).toHaveLength(
      Number(categories[0]!["n"]),
    );
    expect((await readdir(join(siteDir(), "products"))).filter((f) => f.endsWith(".html"))).toHaveLength(
      Number(products[0]!["n"]),
    );
    for (const page of pages) {
      const html = await readFile(join(siteDir(), `${page}.html`), "utf8");
      expect(html, page).toContain(`data-as-of="${asOf}"`);
      expect(html, page).toMatch(/<code id="build-id">b-[\w-]+<\/code> · shop source sample · payments sample/);
      expect(html, page).toMatch(
        /data: sample extracted \d{4}-\d\d-\d\d \d\d:\d\d UTC \([\d.]+ (min|h) before this site\)/,
      );
    }
  });

  it("draws every chart text at 11 CSS px or more, at 1400 and at 390 px, with no overlapping labels", async () => {
    const category = String((await mart("dim_products", "select min(category) as c from $file"))[0]!["c"]);
    const product = String((await mart("dim_products", "select min(product_id) as p from $file"))[0]!["p"]);
    const slug = category.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    for (const width of [1400, 390])
      for (const page of [...pages, `categories/${slug}`, `products/${product}`]) {
        const { tab, problems } = await open(`${page}.html`, width);
        expect(problems, page).toEqual([]);
        expect(await tab.locator(".observablehq--error").count(), page).toBe(0);
        const { heights, overlaps, scrollWidth } = await measureText(tab);
        if (page !== "quality") expect(heights.length, `${page} at ${width}px has charts`).toBeGreaterThan(5);
        expect(
          heights.filter((h) => h.height < 11),
          `${page} at ${width}px`,
        ).toEqual([]);
        expect(overlaps, `${page} at ${width}px`).toEqual([]);
        expect(scrollWidth, `${page} at ${width}px does not scroll sideways`).toBeLessThanOrEqual(width);
        await tab.close();
      }
  }, 300_000);

  it("restores a view from its URL, and a control change rewrites the URL without a reload", async () => {
    const category = String(
      (
        await mart(
          "fact_order_items",
          "select category from $file where is_completed group by 1 order by sum(net_amount_usd) desc limit 1",
        )
      )[0]!["category"],
    );
    const [from, to] = ["2026-10-01", "2026-10-31"];
    const { tab } = await open(`index.html?from=${from}&to=${to}&category=${category}`);
    expect(await chosen(tab, "Date range")).toBe("Custom range");
    expect(await tab.locator('input[name="from"]').inputValue()).toBe(from);
    expect(await tab.locator('input[name="to"]').inputValue()).toBe(to);
    expect(await chosen(tab, "Category")).toBe(category);
    const expected = await mart(
      "fact_order_items",
      `select sum(net_amount_usd)::double as revenue, count(distinct order_id) as orders from $file
       where category = '${category}' and order_date between date '${from}' and date '${to}' and is_completed`,
    );
    const orders = await mart(
      "fact_order_items",
      `select count(distinct order_id) as n from $file where category = '${category}' and order_date between date '${from}' and date '${to}'`,
    );
    expect(await kpi(tab, "revenue")).toBe(usd0(Number(expected[0]!["revenue"])));
    expect(await kpi(tab, "orders")).toBe(Number(orders[0]!["n"]).toLocaleString("en-US"));

    await tab.evaluate(() => Object.assign(window, { notReloaded: true }));
    await select(tab, "Category").selectOption({ label: "All" });
    await select(tab, "Date range").selectOption({ label: "Last 7 days" });
    await expect.poll(() => tab.evaluate(() => location.search)).toBe("?range=7d");
    expect(await tab.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    const week = await mart(
      "daily_revenue",
      `select sum(revenue_usd)::double as v from $file where order_date > date '${asOf}' - 7 and order_date <= date '${asOf}'`,
    );
    await expect.poll(() => kpi(tab, "revenue")).toBe(usd0(Number(week[0]!["v"])));
    await tab.close();
  });

  it("says so when a range has no data, instead of showing zeros", async () => {
    const first = String((await mart("fact_orders", "select min(order_date)::varchar as d from $file"))[0]!["d"]);
    const { tab } = await open(`index.html?from=${first}&to=${first}&category=__none__`);
    expect(await chosen(tab, "Category")).toBe("All"); // an unknown category falls back to All
    await tab.close();
    const empty = await mart(
      "fact_orders",
      `select d::date::varchar as d from range(date '${first}', date '${asOf}' + 1, interval 1 day) t(d)
       where d::date not in (select order_date from $file) limit 1`,
    );
    if (empty.length) {
      const day = String(empty[0]!["d"]);
      const { tab: quiet } = await open(`index.html?from=${day}&to=${day}`);
      expect(await kpi(quiet, "revenue")).toBe("No data for this range");
      await quiet.close();
    }
    // A shared link for days after the data (or before it) shows no numbers, not the nearest day's.
    const { tab: later } = await open(`index.html?from=2099-01-01&to=2099-01-31`);
    expect(await kpi(later, "revenue")).toBe("No data for this range");
    expect(await kpi(later, "orders")).toBe("No data for this range");
    await later.close();
  });

  it("goes from the top-20 table to a product page and from a category bar to a category page", async () => {
    const { tab } = await open("sales.html?range=90d");
    const firstRow = tab.locator('[data-table="top-20-products"] tbody tr').first();
    const title = await firstRow.locator("a").first().textContent();
    await firstRow.locator("a").first().click();
    await tab.waitForURL(/\/products\/\d+\.html$/);
    await tab.waitForFunction(() => document.querySelectorAll(".observablehq--loading").length === 0);
    await expect.poll(() => tab.locator("h1").textContent(), { timeout: 15_000 }).toBe(title);
    const productId = Number(/products\/(\d+)\.html/.exec(tab.url())![1]);
    const stock = await mart("dim_products", `select stock_quantity from $file where product_id = ${productId}`);
    expect(await kpi(tab, "product-stock")).toBe(Number(stock[0]!["stock_quantity"]).toLocaleString("en-US"));

    await tab.goto(`${pipeline.site.url}/sales.html?range=90d`, { waitUntil: "networkidle" });
    const bar = tab.locator("svg a").first(); // Plot links marks with xlink:href
    const href = String(await bar.evaluate((a) => a.getAttributeNS("http://www.w3.org/1999/xlink", "href")));
    expect(href).toMatch(/^categories\//);
    await bar.click();
    await tab.waitForURL(/\/categories\/[^/]+\.html/);
    await tab.waitForFunction(() => document.querySelectorAll(".observablehq--loading").length === 0);
    const slug = /categories\/([^/.]+)\.html/.exec(href)![1]!;
    await expect
      .poll(async () =>
        String(await tab.locator("h1").textContent())
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-"),
      )
      .toBe(slug);
    await tab.close();
  });

  it("downloads exactly the rows a table shows as CSV", async () => {
    const { tab } = await open("sales.html?range=30d");
    const table = tab.locator('[data-table="top-20-products"]');
    const shownIds = await table.locator("tbody tr td:nth-child(3)").allTextContents();
    const [download] = await Promise.all([tab.waitForEvent("download"), table.getByText("Download CSV").click()]);
    const csv = (await readFile(await download.path(), "utf8")).trim().split(/\r?\n/);
    expect(csv[0]).toBe("#,Product id,Product,Category,Revenue,Units,Orders,Rating");
    expect(csv.slice(1).map((line) => line.split(",")[1])).toEqual(shownIds);
    expect(shownIds.length).toBeGreaterThan(0);
    await tab.close();
  });

  it("shows the same KPI on the site as a Metabase question on the synced reporting mart", async () => {
    const { tab } = await open("index.html?range=30d");
    const row = await pipeline.db.client.query(
      `select revenue_usd::float8 as revenue, order_count from "${pipeline.db.schema}".rpt_kpis_by_period
       where period_key = 'last_30_days' and comparison = 'current' and category = 'All'`,
    );
    expect(row.rows).toHaveLength(1);
    expect(await kpi(tab, "revenue")).toBe(usd0(Number(row.rows[0].revenue)));
    expect(await kpi(tab, "orders")).toBe(Number(row.rows[0].order_count).toLocaleString("en-US"));
    await tab.close();
  });

  it("publishes no email or phone of any user in any built file or downloaded CSV", async () => {
    const users = await readParquet(rawFile(pipeline.lake.paths, "sample", "users"), "select email, phone from $file");
    expect(users.length).toBeGreaterThan(500);
    const texts: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else texts.push(await readFile(path, "latin1"));
      }
    };
    await walk(siteDir());
    for (const page of ["customers", "operations", "sales", "products"]) {
      const { tab } = await open(`${page}.html?range=90d`);
      for (const button of await tab.getByText("Download CSV").all()) {
        const [download] = await Promise.all([tab.waitForEvent("download"), button.click()]);
        texts.push(await readFile(await download.path(), "utf8"));
      }
      await tab.close();
    }
    const all = texts.join("\n");
    expect(users.filter((u) => all.includes(String(u["email"])) || all.includes(String(u["phone"])))).toEqual([]);
  }, 300_000);
});
