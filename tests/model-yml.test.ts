import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { queryRows, withDuckdb } from "../cli/core/duckdb.ts";
import { captureLogger } from "../cli/core/logger.ts";
import { reportTests } from "../cli/stages/transform-stage.ts";
import { compileTest, collectTests, runTests } from "../transforms/engine/data-tests.ts";
import { loadProject } from "../transforms/engine/project.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A project with models `stg_things` and `stg_parts` (staging views) and the given yml. */
async function project(yml: string, models = ["stg_things", "stg_parts"]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "duckmart-yml-"));
  dirs.push(dir);
  await mkdir(join(dir, "models", "staging"), { recursive: true });
  for (const name of models) await writeFile(join(dir, "models", "staging", `${name}.sql`), "select 1 as thing_id");
  await writeFile(join(dir, "models", "staging", "_staging.yml"), yml);
  return dir;
}
const loadError = async (dir: string) =>
  (
    await loadProject(dir).then(
      () => undefined,
      (e: Error) => e,
    )
  )?.message;

const things = (extra: string, columns = "      - name: thing_id\n") =>
  `models:\n  - name: stg_things\n    description: Things.\n${extra}    columns:\n${columns}`;

describe("model yml validation names the file and the line", () => {
  it("a typo in a key (the broken fixture)", async () => {
    const dir = await project("");
    await copyFile(
      join(import.meta.dirname, "fixtures", "model-yml", "_broken.yml"),
      join(dir, "models", "staging", "_staging.yml"),
    );
    expect(await loadError(dir)).toBe(
      'models/staging/_staging.yml:9: models[0] (stg_things).columns[0] (thing_id): Unrecognized key: "descripton"',
    );
  });

  it("a value of the wrong shape, a YAML syntax error, and a flow-style mapping", async () => {
    expect(await loadError(await project(things("    primary_key: thing_id\n")))).toMatch(
      /^models\/staging\/_staging.yml:4: models\[0\] \(stg_things\)\.primary_key: Invalid input: expected array/,
    );
    expect(
      await loadError(
        await project("models:\n  - name: stg_things\n    description: a: b\n    columns:\n      - name: x\n"),
      ),
    ).toMatch(/^models\/staging\/_staging.yml:3: not valid YAML/);
    // An unquoted comma in a flow mapping once split 253 descriptions: block style only.
    expect(await loadError(await project(things("", "      - { name: thing_id, description: One, two }\n")))).toBe(
      "models/staging/_staging.yml:5: flow-style mapping ({ ... }); write one key per line (block style)",
    );
  });

  it("keys that do not hold together", async () => {
    const fk = (references: string) =>
      `    foreign_keys:\n      - column: thing_id\n        references: ${references}\n`;
    expect(await loadError(await project(things("    primary_key:\n      - part_id\n")))).toBe(
      'models/staging/_staging.yml:5: stg_things: primary key column "part_id" is not among its documented columns',
    );
    expect(await loadError(await project(things(fk("stg_nothing.thing_id"))))).toBe(
      'models/staging/_staging.yml:5: stg_things: foreign key references unknown "stg_nothing"',
    );
    const parts = "  - name: stg_parts\n    columns:\n      - name: part_id\n      - name: thing_id\n";
    expect(await loadError(await project(things(fk("stg_parts.thing_id")) + parts))).toBe(
      "models/staging/_staging.yml:5: stg_things: foreign key references stg_parts(thing_id), which is not the primary key of stg_parts (none declared)",
    );
    expect(await loadError(await project(things(fk("stg_parts.thing_id"), "      - name: thing_id\n")))).toContain(
      "stg_parts",
    );
    expect(
      await loadError(
        await project(things("    sync:\n      mode: incremental\n    primary_key:\n      - thing_id\n")),
      ),
    ).toBe(
      'models/staging/_staging.yml:4: stg_things: only table models are synced, so only they take "sync: incremental"',
    );
    expect(await loadError(await project(things("    sync:\n      mode: sometimes\n")))).toMatch(
      /^models\/staging\/_staging.yml:5: models\[0\] \(stg_things\)\.sync\.mode: Invalid/,
    );
  });

  it("a test that repeats a declared key", async () => {
    const yml = things(
      "    primary_key:\n      - thing_id\n",
      "      - name: thing_id\n        tests:\n          - unique\n",
    );
    expect(await loadError(await project(yml))).toBe(
      "models/staging/_staging.yml:9: stg_things.thing_id: the unique test repeats the declared primary key, which generates it; remove the test",
    );
  });
});

describe("tests generated from declared keys", () => {
  it("test a composite primary key and a composite foreign key, and fail on bad rows", async () => {
    const yml = `models:
  - name: stg_things
    primary_key:
      - thing_id
      - version
    columns:
      - name: thing_id
      - name: version
  - name: stg_parts
    primary_key:
      - part_id
    foreign_keys:
      - columns:
          - thing_id
          - version
        references:
          model: stg_things
          columns:
            - thing_id
            - version
    columns:
      - name: part_id
      - name: thing_id
      - name: version
`;
    const loaded = await loadProject(await project(yml));
    const tests = collectTests(loaded, ["stg_things", "stg_parts"]);
    expect(tests.map((t) => t.id)).toEqual([
      "stg_things.thing_id.not_null",
      "stg_things.version.not_null",
      "stg_things.thing_id+version.unique",
      "stg_parts.part_id.unique",
      "stg_parts.part_id.not_null",
      "stg_parts.thing_id+version.relationships.stg_things",
    ]);
    const results = await withDuckdb({}, async (c) => {
      // (1, 1) twice; a null version; part 11 points at (1, 2), which does not exist; part 12 is fine.
      await c.run(
        "create table stg_things as select * from (values (1, 1), (1, 1), (2, null), (3, 1)) t(thing_id, version)",
      );
      await c.run(
        "create table stg_parts as select * from (values (10, 3, 1), (11, 1, 2), (12, 1, 1)) t(part_id, thing_id, version)",
      );
      expect(await queryRows(c, "select count(*)::int as n from stg_parts")).toEqual([{ n: 3 }]);
      return runTests(c, tests);
    });
    expect(Object.fromEntries(results.map((r) => [r.id, r.failingRows]))).toEqual({
      "stg_things.thing_id.not_null": 0,
      "stg_things.version.not_null": 1,
      "stg_things.thing_id+version.unique": 1,
      "stg_parts.part_id.unique": 0,
      "stg_parts.part_id.not_null": 0,
      "stg_parts.thing_id+version.relationships.stg_things": 1,
    });
  });

  it("print a failing test's sample rows exactly as stored: decimals in full, ids plain, naive dates without a Z", async () => {
    const [result] = await withDuckdb({}, async (c) => {
      await c.run(`create table fact_orders as select
          2825073897176996::bigint as order_id,
          41.483::decimal(18, 6) as amount,
          0.1::double + 0.2::double as ratio,
          date '2024-03-01' as order_date,
          timestamp '2024-03-01 10:00:00' as ordered_at,
          null::varchar as customer_city_at_order`);
      return runTests(c, [compileTest("fact_orders", "customer_city_at_order", "not_null")]);
    });
    expect(result!.samples).toEqual([
      {
        order_id: 2825073897176996,
        amount: "41.483000",
        ratio: 0.30000000000000004,
        order_date: "2024-03-01",
        ordered_at: "2024-03-01 10:00:00",
        customer_city_at_order: null,
      },
    ]);
    const logger = captureLogger();
    reportTests(logger, [result!]);
    const sampleLine = logger.text().split("\n").at(-1);
    expect(sampleLine).toBe("2825073897176996  41.483000  0.30000000000000004  2024-03-01  2024-03-01 10:00:00");
  });

  it("not_null with if_any_in tests only when the source gives the field at all", async () => {
    const spec = { not_null: { severity: "warn" as const, if_any_in: "stg_users.city" } };
    const test = compileTest("fact_orders", "customer_city_at_order", spec);
    const failing = (cities: string) =>
      withDuckdb({}, async (c) => {
        await c.run(`create table stg_users as select * from (values ${cities}) t(city)`);
        // Orders 1 and 2 have no city at order time, order 3 has one.
        await c.run(`create table fact_orders as select * from (values (1, null), (2, null), (3, 'Austin'))
            t(order_id, customer_city_at_order)`);
        return (await runTests(c, [test]))[0]!;
      });
    // No customer has a city (a files export without a city column): nothing to warn about.
    expect(await failing("(null::varchar), (null)")).toMatchObject({ status: "pass", failingRows: 0 });
    // Some customers have a city: the orders without one are flagged.
    expect(await failing("('Austin'), (null)")).toMatchObject({ status: "warn", failingRows: 2 });
  });
});
