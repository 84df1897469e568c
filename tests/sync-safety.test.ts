// @module-tag postgres
import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { noPostgres } from "./helpers/services.ts";
import { syncMarts } from "../export/index.ts";
import { binPath } from "./helpers/cli.ts";
import { createMart, pgSchema, pgUrl, tableOidOf } from "./helpers/mart-fixtures.ts";
import { testLake, type TestLake } from "./helpers/test-lake.ts";

let lake: TestLake;
let db: Awaited<ReturnType<typeof pgSchema>>;
const sync = (options: Partial<Parameters<typeof syncMarts>[1]> = {}) =>
  syncMarts(
    { config: lake.config, paths: lake.paths, logger: lake.logger },
    { databaseUrl: pgUrl, schema: db.schema, ...options },
  );
/** The error a promise rejects with; a promise that resolves fails the test. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: Error) => e,
  );
const count = async (table: string) =>
  Number((await db.client.query(`select count(*) as n from "${db.schema}"."${table}"`)).rows[0].n);
const rowsSql = (n: number, version = 1) =>
  `select range as id, range % 7 as bucket, 'row ' || range || ' v${version}' as label, (range * 1.25)::decimal(18,2) as amount from range(${n})`;

beforeEach(async () => {
  lake = await testLake();
  db = await pgSchema("safety");
});
afterEach(async () => {
  await db.drop();
  await lake.cleanup();
});

describe.skipIf(noPostgres)("sync safety", () => {
  it("keeps the table's OID across syncs, and skips an unchanged mart", async () => {
    await createMart(lake, "fact_things", rowsSql(100), { key: "id" });
    await sync();
    const oid = await tableOidOf(db.client, db.schema, "fact_things");
    await createMart(lake, "fact_things", rowsSql(150, 2), { key: "id" });
    const second = await sync();
    expect(second.tables[0]).toMatchObject({ mode: "full", rowCount: 150, oid });
    expect(await tableOidOf(db.client, db.schema, "fact_things")).toBe(oid);
    expect(await count("fact_things")).toBe(150);
    const third = await sync();
    expect(third.tables[0]!.mode).toBe("unchanged");
    const state = await db.client.query(
      `select row_count::int, table_oid::text from "${db.schema}".duckmart_sync_state where table_name = 'fact_things'`,
    );
    expect(state.rows[0]).toEqual({ row_count: 150, table_oid: oid });
  });

  it("never shows a concurrent reader an empty or half-loaded table", async () => {
    await createMart(lake, "big_table", rowsSql(100_000), { key: "id" });
    await sync();
    await createMart(lake, "big_table", rowsSql(300_000, 2), { key: "id" });
    const reader = await pgSchema("reader");
    const seen = new Set<number>();
    let done = false;
    const loop = (async () => {
      while (!done)
        seen.add(Number((await reader.client.query(`select count(*) as n from "${db.schema}".big_table`)).rows[0].n));
    })();
    await sync();
    done = true;
    await loop;
    seen.add(Number((await reader.client.query(`select count(*) as n from "${db.schema}".big_table`)).rows[0].n));
    await reader.client.end();
    expect([...seen].sort()).toEqual([100_000, 300_000]);
  });

  it("survives SIGKILL mid-load: the old rows stay readable and the next sync succeeds", async () => {
    await createMart(lake, "big_table", rowsSql(50_000), { key: "id" });
    await sync();
    await createMart(lake, "big_table", rowsSql(3_000_000, 2), { key: "id" });
    const child = spawn(process.execPath, [binPath, "sync", "--data-dir", lake.dir, "--schema", db.schema], {
      env: { ...process.env, DATABASE_URL: pgUrl },
      stdio: "ignore",
    });
    // Wait until the COPY is streaming, then kill the process without any chance to clean up.
    for (let i = 0; i < 400; i++) {
      const active = await db.client.query(
        `select count(*) as n from pg_stat_activity where application_name = 'duckmart' and query ilike 'copy %big_table%'`,
      );
      if (Number(active.rows[0].n) > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    expect(await count("big_table")).toBe(50_000);
    const summary = await sync();
    expect(summary.tables[0]).toMatchObject({ table: "big_table", rowCount: 3_000_000 });
    expect(await count("big_table")).toBe(3_000_000);
  });

  it("refuses to overwrite a same-named table it did not create", async () => {
    await db.client.query(
      `create schema "${db.schema}"; create table "${db.schema}".dim_things (id int); insert into "${db.schema}".dim_things values (1)`,
    );
    await createMart(lake, "dim_things", rowsSql(10), { key: "id" });
    await expect(sync()).rejects.toThrow(
      `Refusing to overwrite ${db.schema}.dim_things: it exists but was not created by duckmart`,
    );
    expect(await count("dim_things")).toBe(1);
  });

  it("adds new columns in place, and stops on a dropped column unless --allow-recreate", async () => {
    await createMart(lake, "dim_things", rowsSql(10), { key: "id" });
    await sync();
    const oid = await tableOidOf(db.client, db.schema, "dim_things");
    await createMart(lake, "dim_things", `select *, bucket * 2 as double_bucket from (${rowsSql(10)})`, { key: "id" });
    const added = await sync();
    expect(added.tables[0]!.addedColumns).toEqual(["double_bucket"]);
    expect(await tableOidOf(db.client, db.schema, "dim_things")).toBe(oid);
    expect(
      (await db.client.query(`select double_bucket from "${db.schema}".dim_things where id = 3`)).rows[0].double_bucket,
    ).toBe("6"); // bigint comes back as text

    await createMart(
      lake,
      "dim_things",
      `select id, bucket, amount, double_bucket from (select *, bucket * 2 as double_bucket from (${rowsSql(10)}))`,
      { key: "id" },
    );
    await expect(sync()).rejects.toThrow(`The schema of ${db.schema}.dim_things changed: dropped column(s) label`);
    const recreated = await sync({ allowRecreate: true });
    expect(recreated.tables[0]!.created).toBe(true);
    expect(await tableOidOf(db.client, db.schema, "dim_things")).not.toBe(oid);
    expect(lake.logger.text()).toContain("Metabase questions that use this table must be re-pointed");
  });

  it("gives a numeric column more decimals or digits in place (money to the sub-cent, sums past 10^12), and refuses fewer", async () => {
    const amounts = (type: string) => `select range as id, (range + 0.335)::${type} as amount from range(3)`;
    await createMart(lake, "rpt_things", amounts("decimal(18,2)"), { key: "id" });
    await sync();
    const oid = await tableOidOf(db.client, db.schema, "rpt_things");
    const amountsNow = async () =>
      (await db.client.query(`select amount from "${db.schema}".rpt_things order by id`)).rows.map((r) => r.amount);
    expect(await amountsNow()).toEqual(["0.34", "1.34", "2.34"]); // numeric comes back as text

    await createMart(lake, "rpt_things", amounts("decimal(18,6)"), { key: "id" });
    const widened = await sync();
    expect(widened.tables[0]).toMatchObject({ mode: "full", created: false, oid });
    expect(await tableOidOf(db.client, db.schema, "rpt_things")).toBe(oid);
    expect(await amountsNow()).toEqual(["0.335000", "1.335000", "2.335000"]);
    expect(lake.logger.text()).toContain(
      `Altered ${db.schema}.rpt_things.amount in place (numeric(18,2) -> numeric(18,6))`,
    );

    await createMart(lake, "rpt_things", amounts("decimal(18,2)"), { key: "id" });
    await expect(sync()).rejects.toThrow(
      `The schema of ${db.schema}.rpt_things changed: retyped column(s) amount (numeric(18,6) -> numeric(18,2))`,
    );
    expect(await amountsNow()).toEqual(["0.335000", "1.335000", "2.335000"]);

    // Sums of money past 10^12 (numeric(18,6) holds below): more digits, in place; then fewer digits are refused.
    const large = `select range as id, (range + 1000000000000.335)::decimal(38,6) as amount from range(3)`;
    await createMart(lake, "rpt_things", large, { key: "id" });
    expect((await sync()).tables[0]).toMatchObject({ mode: "full", created: false, oid });
    expect(await amountsNow()).toEqual(["1000000000000.335000", "1000000000001.335000", "1000000000002.335000"]);
    expect(lake.logger.text()).toContain(
      `Altered ${db.schema}.rpt_things.amount in place (numeric(18,6) -> numeric(38,6))`,
    );
    await createMart(lake, "rpt_things", amounts("decimal(18,6)"), { key: "id" });
    await expect(sync()).rejects.toThrow(
      `The schema of ${db.schema}.rpt_things changed: retyped column(s) amount (numeric(38,6) -> numeric(18,6))`,
    );
  });

  it("upserts a table declared `sync: incremental` by its key with --incremental, whatever its name", async () => {
    await createMart(lake, "fact_things", rowsSql(5), { key: "id", sync: "incremental" });
    await createMart(lake, "things_log", rowsSql(3, 3), { key: "id", sync: "incremental" });
    await createMart(lake, "fact_full", rowsSql(3), { key: "id" });
    await sync();
    await db.client.query(
      `insert into "${db.schema}".fact_things (id, bucket, label, amount) values (100, 0, 'kept: only in Postgres', 0)`,
    );
    await createMart(
      lake,
      "fact_things",
      `select * replace (case when id = 2 then 'changed' else label end as label) from (${rowsSql(7)})`,
      { key: "id", sync: "incremental" },
    );
    await createMart(lake, "things_log", rowsSql(4, 3), { key: "id", sync: "incremental" });
    await createMart(lake, "fact_full", rowsSql(4), { key: "id" });
    const result = await sync({ incremental: true });
    const modes = Object.fromEntries(result.tables.map((t) => [t.table, t.mode]));
    // The declared sync mode decides, not a fact_ prefix.
    expect(modes).toEqual({ fact_things: "incremental", things_log: "incremental", fact_full: "full" });
    const rows = (await db.client.query(`select id::int, label from "${db.schema}".fact_things order by id`)).rows;
    expect(rows.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 100]);
    expect(rows[2].label).toBe("changed");
  });
});

describe.skipIf(noPostgres)("connection errors", () => {
  it("are fast and clear, and never print the password", async () => {
    await createMart(lake, "dim_things", rowsSql(3), { key: "id" });
    const started = Date.now();
    const refused = await failure(sync({ databaseUrl: "postgres://postgres:hunter2@127.0.0.1:1/test" }));
    expect(refused.message).toBe(
      "Cannot reach Postgres at 127.0.0.1:1 (connection refused) [postgres://postgres:***@127.0.0.1:1/test]",
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    const missing = await failure(sync({ databaseUrl: "postgres://postgres:hunter2@127.0.0.1:5432/no_such_db" }));
    expect(missing.message).toBe(
      'Database "no_such_db" does not exist on 127.0.0.1:5432 [postgres://postgres:***@127.0.0.1:5432/no_such_db]',
    );
    await db.client.query(
      "do $$ begin if not exists (select from pg_roles where rolname = 'duckmart_readonly') then create role duckmart_readonly login; end if; end $$",
    );
    const denied = await failure(sync({ databaseUrl: "postgres://duckmart_readonly:hunter2@127.0.0.1:5432/test" }));
    expect(denied.message).toContain('Permission denied for user "duckmart_readonly"');
    for (const error of [refused, missing, denied])
      expect(
        `${error.message} ${String((error as { hint?: string }).hint)} ${JSON.stringify(error.cause ?? "")}`,
      ).not.toContain("hunter2");
    const badUrl = await failure(sync({ databaseUrl: "mysql://x:hunter2@h/db" }));
    expect(badUrl.message).toBe("DATABASE_URL must start with postgres:// or postgresql://: mysql://x:***@h/db");
  });
});
