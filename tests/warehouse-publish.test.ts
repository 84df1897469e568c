// @module-tag postgres
import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { promoteBuild } from "../cli/core/build-promotion.ts";
import { buildLayout, writeBuildManifest, type BuildManifest } from "../cli/core/contracts/build-manifest.ts";
import { noPostgres } from "./helpers/services.ts";
import { syncMarts } from "../export/index.ts";
import { createMart, pgSchema, pgUrl, tableOidOf } from "./helpers/mart-fixtures.ts";
import type { TestLake } from "./helpers/test-lake.ts";
import { starBuildId, starLake as makeStar, starTables } from "./helpers/star-lake.ts";

let lakes: TestLake[] = [];
let db: Awaited<ReturnType<typeof pgSchema>>;
const sync = (lake: TestLake, options: Partial<Parameters<typeof syncMarts>[1]> = {}) =>
  syncMarts(
    { config: lake.config, paths: lake.paths, logger: lake.logger },
    { databaseUrl: pgUrl, schema: db.schema, ...options },
  );
const oidsOf = async (tables: string[]) => {
  const oids = [];
  for (const t of tables) oids.push(await tableOidOf(db.client, db.schema, t));
  return oids;
};
const starLake = async (version: number, lines?: number) => {
  const lake = await makeStar(version, lines);
  lakes.push(lake);
  return lake;
};
const q = async (sql: string) => (await db.client.query(sql)).rows as Record<string, unknown>[];

beforeEach(async () => {
  db = await pgSchema("wh");
});
afterEach(async () => {
  await db.client.query(`drop schema if exists "${db.schema}_pii" cascade`);
  await db.drop();
  await Promise.all(lakes.map((l) => l.cleanup()));
  lakes = [];
});

describe.skipIf(noPostgres)("warehouse publish", () => {
  it("creates PRIMARY and FOREIGN KEY constraints between published marts, keeping OIDs, views and grants", async () => {
    const first = await starLake(1);
    await sync(first);
    const fks = await q(
      `select tc.table_name, kcu.column_name, rc.unique_constraint_name
       from information_schema.referential_constraints rc
       join information_schema.table_constraints tc using (constraint_schema, constraint_name)
       join information_schema.key_column_usage kcu using (constraint_schema, constraint_name)
       where rc.constraint_schema = '${db.schema}' order by 1`,
    );
    expect(fks).toEqual([
      { table_name: "fact_buy_lines", column_name: "buy_id", unique_constraint_name: "fact_buys_pkey" },
      { table_name: "fact_buys", column_name: "person_id", unique_constraint_name: "dim_people_pkey" },
    ]);
    const pks = await q(
      `select table_name from information_schema.table_constraints where table_schema = '${db.schema}' and constraint_type = 'PRIMARY KEY' and table_name not like 'duckmart%' order by 1`,
    );
    expect(pks.map((r) => r.table_name)).toEqual(["dim_people", "fact_buy_lines", "fact_buys"]);
    const oids = await oidsOf(starTables);
    await db.client.query(
      `create view "${db.schema}".my_report as select p.display_name, count(*) as line_count from "${db.schema}".fact_buy_lines l join "${db.schema}".fact_buys b using (buy_id) join "${db.schema}".dim_people p using (person_id) group by 1`,
    );
    await db.client.query(`grant select on "${db.schema}".fact_buys to public`);
    await sync(await starLake(2, 2000));
    expect(await oidsOf(starTables)).toEqual(oids);
    expect(await q(`select sum(line_count)::int as n from "${db.schema}".my_report`)).toEqual([{ n: 2000 }]);
    expect(await q(`select has_table_privilege('public', '"${db.schema}".fact_buys', 'select') as ok`)).toEqual([
      { ok: true },
    ]);
    expect(
      await q(
        `select count(*)::int as n from information_schema.referential_constraints where constraint_schema = '${db.schema}'`,
      ),
    ).toEqual([{ n: 2 }]);
  });

  it("records which build each table holds, for analysts", async () => {
    const lake = await starLake(1);
    const build = { buildId: starBuildId(1) };
    const summary = await sync(lake);
    expect(summary.buildId).toBe(build.buildId);
    const rows = await q(`select table_name, build_id, as_of::text from "${db.schema}".duckmart_build order by 1`);
    expect(rows).toEqual(
      ["dim_people", "fact_buy_lines", "fact_buys"].map((t) => ({
        table_name: t,
        build_id: build.buildId,
        as_of: "2026-11-24",
      })),
    );
    expect(
      await q(`select build_id, shop_source, payments_source, tables from "${db.schema}".duckmart_published`),
    ).toEqual([
      {
        build_id: build.buildId,
        shop_source: "sample",
        payments_source: "sample",
        tables: starTables.map((t) => `${db.schema}.${t}`),
      },
    ]);
  });

  it("refuses to publish a mart that came out empty while the warehouse has rows, unless --allow-empty", async () => {
    const lake = await starLake(1);
    await sync(lake);
    await createMart(
      lake,
      "fact_buy_lines",
      "select 1::bigint as line_id, 1::bigint as buy_id, 'x' as label, 1 as v where false",
      {
        key: "line_id",
        references: { buy_id: "fact_buys.buy_id" },
      },
    );
    await expect(sync(lake)).rejects.toThrow(
      `Refusing to publish ${db.schema}.fact_buy_lines: the build has 0 rows, the warehouse has 1,000`,
    );
    expect(await q(`select count(*)::int as n from "${db.schema}".fact_buy_lines`)).toEqual([{ n: 1000 }]);
    await sync(lake, { allowEmpty: true });
    expect(await q(`select count(*)::int as n from "${db.schema}".fact_buy_lines`)).toEqual([{ n: 0 }]);
  });

  it("publishes an empty mart over a table of another source's build, with a warning (a source switch)", async () => {
    const lake = await starLake(1);
    await sync(lake);
    const next = starBuildId(2);
    await createMart(
      lake,
      "fact_buy_lines",
      "select 1::bigint as line_id, 1::bigint as buy_id, 'x' as label, 1 as v where false",
      { key: "line_id", references: { buy_id: "fact_buys.buy_id" }, buildId: next },
    );
    await createMart(
      lake,
      "dim_people",
      "select range as person_id, 'p' || range || '@example.com' as email, '+1-555-' || range as phone, 'P' as display_name, 2 as v from range(3)",
      { key: "person_id", pii: ["email", "phone"], buildId: next },
    );
    await createMart(
      lake,
      "fact_buys",
      "select range as buy_id, 0::bigint as person_id, 1.5::decimal(12,2) as amount_usd, 2 as v from range(3)",
      { key: "buy_id", references: { person_id: "dim_people.person_id" }, buildId: next },
    );
    // The second build is a files shop with no payments source, as after `extract --source files`.
    const layout = buildLayout(lake.paths, next);
    const manifest = JSON.parse(await readFile(layout.manifest, "utf8")) as BuildManifest;
    await writeBuildManifest(layout.manifest, { ...manifest, shopSource: "files", paymentsSource: "none" });
    await promoteBuild(lake.paths, next);
    await sync(lake);
    expect(await q(`select count(*)::int as n from "${db.schema}".fact_buy_lines`)).toEqual([{ n: 0 }]);
    expect(lake.logger.text()).toContain(
      `${db.schema}.fact_buy_lines: empty in this build (files shop, payments none); its 1,000 rows from the sample shop, payments sample build are replaced`,
    );
    expect(await q(`select distinct shop_source from "${db.schema}".duckmart_build`)).toEqual([
      { shop_source: "files" },
    ]);
  });
});
