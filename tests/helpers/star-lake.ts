import type pg from "pg";
import { createMart } from "./mart-fixtures.ts";
import { testLake, type TestLake } from "./test-lake.ts";

/** Each version of the star is its own build. */
export const starBuildId = (version: number) => `b-20261124-00000${version}-0000`;

export const starTables = ["dim_people", "fact_buys", "fact_buy_lines"];

/** A small star, every row stamped with the build version v: people <- orders <- lines. */
export async function starLake(version: number, lines = 1000, flags: Record<string, unknown> = {}): Promise<TestLake> {
  const lake = await testLake(flags);
  await createMart(
    lake,
    "dim_people",
    `select range as person_id, 'Person' || range || '@Example.com' as email, '+1-555-' || range as phone, 'P' || range as display_name, ${version} as v from range(200)`,
    { key: "person_id", pii: ["email", "phone"], buildId: starBuildId(version) },
  );
  await createMart(
    lake,
    "fact_buys",
    `select range as buy_id, range % 200 as person_id, (range * 1.5)::decimal(12,2) as amount_usd, ${version} as v from range(${Math.max(1, lines / 4)})`,
    { key: "buy_id", references: { person_id: "dim_people.person_id" }, buildId: starBuildId(version) },
  );
  await createMart(
    lake,
    "fact_buy_lines",
    `select range as line_id, range // 4 as buy_id, 'line ' || range as label, ${version} as v from range(${lines})`,
    { key: "line_id", references: { buy_id: "fact_buys.buy_id" }, buildId: starBuildId(version) },
  );
  return lake;
}

/** In ONE reader transaction (read committed, statement by statement): the build of each mart and of the record. */
export async function readerView(client: pg.Client, schema: string): Promise<{ versions: number[]; builds: string[] }> {
  await client.query("begin");
  try {
    const versions: number[] = [];
    for (const table of ["dim_people", "fact_buys", "fact_buy_lines"])
      for (const row of (await client.query(`select distinct v from "${schema}".${table}`)).rows) versions.push(row.v);
    const builds = (await client.query(`select distinct build_id from "${schema}".duckmart_build`)).rows.map(
      (r) => r.build_id as string,
    );
    return { versions: [...new Set(versions)].sort(), builds };
  } finally {
    await client.query("commit");
  }
}
