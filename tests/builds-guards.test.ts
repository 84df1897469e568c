import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildLayout, type BuildManifest } from "../cli/core/contracts/build-manifest.ts";
import { extract } from "../extract/index.ts";
import { transform } from "../transforms/index.ts";
import { rows } from "./helpers/build-lake.ts";
import { filesFixture, filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { order, product, user, writeOrders, writeRaw } from "./helpers/raw-fixtures.ts";
import { paymentColumns, testLake, type TestLake } from "./helpers/test-lake.ts";

// Row-count guards compare a build with one of the same sources and a comparable as-of (guard-baseline.ts).
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const guard = (build: BuildManifest, model: string) => build.guards?.find((g) => g.model === model);

describe("row-count guards and the as-of (files source)", () => {
  let lake: FilesLake;
  /** The fixture export, or its first `lines` order lines. */
  async function exportFile(lines?: number): Promise<string> {
    if (lines === undefined) return filesFixture("orders.csv");
    const text = (await readFile(filesFixture("orders.csv"), "utf8")).split("\n");
    const path = join(lake.dir, `orders-${lines}.csv`);
    await writeFile(path, `${text.slice(0, 1 + lines).join("\n")}\n`);
    return path;
  }
  async function build(asOf?: string, lines?: number) {
    await lake.configure({ path: await exportFile(lines), columns: genericColumns }, asOf ? { asOf } : {});
    await lake.extract();
    return lake.transform();
  }
  const martRows = (b: BuildManifest, model: string) => rows(buildLayout(lake.paths, b.buildId).mart(model));

  it("a later --as-of on the same export, and the export rebuilt at its own date, are no shrink", async () => {
    lake = await filesLake();
    cleanups.push(() => lake.cleanup());
    const own = await build();
    expect([own.promoted, own.asOf]).toEqual([true, "2024-03-28"]);

    // The 30-day windows of a static export hold fewer orders 8 months on: rpt_top_customers more than halves.
    const later = await build("2024-12-01");
    expect(await martRows(later.build, "rpt_top_customers")).toBeLessThan(
      (await martRows(own.build, "rpt_top_customers")) / 2,
    );
    expect(later.promoted).toBe(true);
    expect(later.build.asOfSetBy).toBe("--as-of");
    expect(later.build.guardBaseline).toMatchObject({ buildId: own.build.buildId, asOf: "2024-03-28", shrink: false });
    expect(guard(later.build, "rpt_top_customers")?.description).toContain("shrink not checked");

    // Back to the export's own date (the default as-of): daily_revenue has 8 months fewer days than the current
    // build, but a build of the same as-of exists, and nothing shrank against it.
    const back = await build();
    expect(await martRows(back.build, "daily_revenue")).toBeLessThan(
      (await martRows(later.build, "daily_revenue")) / 2,
    );
    expect(back.promoted).toBe(true);
    expect(back.build.guardBaseline).toMatchObject({ buildId: own.build.buildId, shrink: true });
  });

  it("still refuses a truncated export at the same as-of, the next day and when the export's own date went back", async () => {
    lake = await filesLake();
    cleanups.push(() => lake.cleanup());
    await build();
    const later = await build("2024-12-01");
    expect(later.promoted).toBe(true);

    // The next day with the first 3 lines only (orders CA-1001 and CA-1002 of the 6): fact_orders 6 -> 2.
    const nextDay = await build("2024-12-02", 3);
    expect(nextDay.promoted).toBe(false);
    expect(nextDay.build.guardBaseline).toMatchObject({ buildId: later.build.buildId, shrink: true });
    expect(guard(nextDay.build, "fact_orders")?.message).toContain(
      `fact_orders shrank from 6 to 2 rows (-67%, limit 50%) (build ${later.build.buildId}, as of 2024-12-01). If that is expected, accept it for this build only with --accept-row-drop fact_orders`,
    );
    // The same as-of as the current build.
    const sameDay = await build("2024-12-01", 3);
    expect(sameDay.build.failedChecks).toContain("fact_orders.row_count_guard");
    // The default as-of of the truncated export is its newest order date, 2024-03-05: the data went back, and
    // the build of the full export (as of 2024-03-28, also by its data) is the baseline.
    const truncated = await build(undefined, 3);
    expect(truncated.asOf).toBe("2024-03-05");
    expect(truncated.promoted).toBe(false);
    expect(truncated.build.failedChecks).toContain("fact_orders.row_count_guard");
  });
});

describe("row-count guards and the as-of (hand-written lake)", () => {
  async function newLake(): Promise<TestLake> {
    const lake = await testLake();
    cleanups.push(() => lake.cleanup());
    return lake;
  }
  /** Land 10 products and `orders` orders as of `asOf`, as an extract with `--as-of` does, and build. */
  async function land(lake: TestLake, asOf: string, orders: number) {
    lake.config.asOf = asOf;
    await writeRaw(
      lake,
      "products",
      Array.from({ length: 10 }, (_, i) => product(i + 1, 10, "alpha")),
    );
    await writeRaw(lake, "users", [user(1, "Austin", "Texas", "TX")]);
    await writeRaw(lake, "carts", []);
    const list = Array.from({ length: orders }, (_, i) =>
      order(i + 1, 1, `${asOf}T08:00:00`, "completed", [[1, 10, 1, 0]]),
    );
    await writeOrders(lake, list, "--as-of");
    return transform({ config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns }, { test: true });
  }

  it("an empty mart still fails at a far-off as-of; a shrink there does not, and the next day's does", async () => {
    const lake = await newLake();
    const first = await land(lake, "2026-09-01", 8);
    expect(first.promoted).toBe(true);
    // 60 days on, by hand: no comparable build, but an empty fact_orders is still refused.
    const empty = await land(lake, "2026-10-31", 0);
    expect(empty.promoted).toBe(false);
    expect(guard(empty.build, "fact_orders")?.message).toContain(
      "fact_orders came out empty; the previous build had 8 rows",
    );
    // The same day with 3 of the 8 orders: fact_orders 8 -> 3 (-63%) is not compared across 60 days.
    const shrunk = await land(lake, "2026-10-31", 3);
    expect(shrunk.promoted).toBe(true);
    expect(shrunk.build.guardBaseline).toMatchObject({ buildId: first.build.buildId, shrink: false });
    expect(guard(shrunk.build, "fact_orders")?.description).toContain("(was 8, now 3)");
    // One day later, 1 order: a day-to-day drop of 3 -> 1 is refused.
    const nextDay = await land(lake, "2026-11-01", 1);
    expect(nextDay.build.guardBaseline).toMatchObject({ buildId: shrunk.build.buildId, shrink: true });
    expect(guard(nextDay.build, "fact_orders")?.message).toContain(
      "fact_orders shrank from 3 to 1 rows (-67%, limit 50%)",
    );
    expect(nextDay.promoted).toBe(false);
  });
});

describe("row-count guards and replays (sample source)", () => {
  it("a replay of an older day compares with that day's build, not with the current one's history", async () => {
    const lake = await testLake();
    cleanups.push(() => lake.cleanup());
    const context = { config: lake.config, paths: lake.paths, logger: lake.logger, paymentColumns };
    const builds: BuildManifest[] = [];
    for (const day of ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]) {
      lake.config.asOf = day;
      await extract(context);
      builds.push((await transform(context, { test: true })).build);
    }
    // Price history grows by a day of changes per build: by the fourth day it is more than twice the first's.
    const history = (b: BuildManifest) => rows(buildLayout(lake.paths, b.buildId).mart("product_price_history"));
    expect(await history(builds[3]!)).toBeGreaterThan(2 * (await history(builds[0]!)));
    lake.config.asOf = "2026-11-20";
    const replay = await transform(context, { test: true, replayAsOf: "2026-11-20" });
    expect(replay.promoted).toBe(true);
    expect(replay.build.guardBaseline).toMatchObject({ buildId: builds[0]!.buildId, shrink: true });
    expect(replay.build.asOfSetBy).toBe("--as-of (a replay)");
  });
});
