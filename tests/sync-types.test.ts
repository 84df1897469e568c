// @module-tag postgres
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noPostgres } from "./helpers/services.ts";
import { syncMarts } from "../export/index.ts";
import { createMart, pgSchema, pgUrl } from "./helpers/mart-fixtures.ts";
import { testLake, type TestLake } from "./helpers/test-lake.ts";

let lake: TestLake;
let db: Awaited<ReturnType<typeof pgSchema>>;

beforeAll(async () => {
  lake = await testLake();
  db = await pgSchema("types");
  await createMart(
    lake,
    "all_types",
    `
    select * from (values
      (1, (-128)::tinyint, 32767::smallint, (-2147483648)::integer, 9223372036854775807::bigint, 3.141592653589793::double, 0.1::float,
       12345678901234567890123456.0123456789::decimal(38,10), -12345.67::decimal(18,2), -99.9::decimal(4,1), 123456.789::decimal(9,3),
       'héllo wörld 🦆', true, date '1969-07-20', timestamp '1950-05-04 03:02:01.123456', timestamptz '1960-01-01 00:00:00+00',
       [1, 2, 3], {'a': 1, 'b': 'x', 'c': [true, false]}),
      (2, 127::tinyint, (-32768)::smallint, 2147483647::integer, (-9223372036854775808)::bigint, -1.5e300::double, -2.5::float,
       -99999999999999999999999999.9999999999::decimal(38,10), 0.01::decimal(18,2), 0::decimal(4,1), -0.001::decimal(9,3),
       '', false, date '2100-12-31', timestamp '2040-01-19 03:14:08', timestamptz '2050-06-01 12:00:00.5+00',
       []::integer[], {'a': null, 'b': 'tab' || chr(9) || 'new' || chr(10) || 'line \\ slash', 'c': []::boolean[]}),
      (3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)
    ) t(id, i8, i16, i32, i64, f64, f32, big_money, money, small_dec, mid_dec, txt, flag, day, ts, tstz, list_col, struct_col)`,
    { key: "id" },
  );
  await syncMarts(
    { config: lake.config, paths: lake.paths, logger: lake.logger },
    { databaseUrl: pgUrl, schema: db.schema, verify: true },
  );
});
afterAll(async () => {
  await db.drop();
  await lake.cleanup();
});

describe.skipIf(noPostgres)("sync type mapping", () => {
  it("maps DuckDB types to Postgres types by width, precision and zone", async () => {
    const { rows } = await db.client.query(
      `select column_name, data_type, numeric_precision, numeric_scale from information_schema.columns where table_schema = $1 and table_name = 'all_types' order by ordinal_position`,
      [db.schema],
    );
    expect(
      rows.map((r) => [
        r.column_name,
        r.data_type === "numeric" ? `numeric(${r.numeric_precision},${r.numeric_scale})` : r.data_type,
      ]),
    ).toEqual([
      ["id", "integer"],
      ["i8", "smallint"],
      ["i16", "smallint"],
      ["i32", "integer"],
      ["i64", "bigint"],
      ["f64", "double precision"],
      ["f32", "real"],
      ["big_money", "numeric(38,10)"],
      ["money", "numeric(18,2)"],
      ["small_dec", "numeric(4,1)"],
      ["mid_dec", "numeric(9,3)"],
      ["txt", "text"],
      ["flag", "boolean"],
      ["day", "date"],
      ["ts", "timestamp without time zone"],
      ["tstz", "timestamp with time zone"],
      ["list_col", "jsonb"],
      ["struct_col", "jsonb"],
    ]);
  });

  it("round-trips every value exactly, NULLs and empty strings included", async () => {
    const { rows } = await db.client.query(
      `select ${["i8", "i16", "i32", "i64", "f64", "f32", "big_money", "money", "small_dec", "mid_dec", "txt", "flag", "day", "ts", "tstz", "list_col", "struct_col"].map((c) => `${c}::text`).join(", ")} from "${db.schema}".all_types order by id`,
    );
    expect(rows[0]).toEqual({
      i8: "-128",
      i16: "32767",
      i32: "-2147483648",
      i64: "9223372036854775807",
      f64: "3.141592653589793",
      f32: "0.1",
      big_money: "12345678901234567890123456.0123456789",
      money: "-12345.67",
      small_dec: "-99.9",
      mid_dec: "123456.789",
      txt: "héllo wörld 🦆",
      flag: "true",
      day: "1969-07-20",
      ts: "1950-05-04 03:02:01.123456",
      tstz: "1960-01-01 00:00:00+00",
      list_col: "[1, 2, 3]",
      struct_col: '{"a": 1, "b": "x", "c": [true, false]}',
    });
    expect(rows[1]).toEqual({
      i8: "127",
      i16: "-32768",
      i32: "2147483647",
      i64: "-9223372036854775808",
      f64: "-1.5e+300",
      f32: "-2.5",
      big_money: "-99999999999999999999999999.9999999999",
      money: "0.01",
      small_dec: "0.0",
      mid_dec: "-0.001",
      txt: "",
      flag: "false",
      day: "2100-12-31",
      ts: "2040-01-19 03:14:08",
      tstz: "2050-06-01 12:00:00.5+00",
      list_col: "[]",
      struct_col: '{"a": null, "b": "tab\\tnew\\nline \\\\ slash", "c": []}',
    });
    expect(Object.values(rows[2]).every((v) => v === null)).toBe(true);
  });

  it("sets the primary key from the tests and the comments from the catalog", async () => {
    const pk = await db.client.query(
      `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey) where i.indrelid = '"${db.schema}".all_types'::regclass and i.indisprimary`,
    );
    expect(pk.rows.map((r) => r.attname)).toEqual(["id"]);
    const comment = await db.client.query(
      `select obj_description('"${db.schema}".all_types'::regclass) as t, col_description('"${db.schema}".all_types'::regclass, 1) as c`,
    );
    expect(comment.rows[0]).toEqual({ t: "Test mart all_types.", c: "The id column." });
  });

  it("fails clearly on a type it cannot map, naming the column", async () => {
    await createMart(lake, "bad_types", "select 1 as id, interval 3 day as waited");
    await expect(
      syncMarts(
        { config: lake.config, paths: lake.paths, logger: lake.logger },
        { databaseUrl: pgUrl, schema: db.schema, select: ["bad_types"] },
      ),
    ).rejects.toThrow("Cannot sync bad_types.waited: DuckDB type INTERVAL has no Postgres mapping");
  });

  it("round-trips BC dates and timestamps, and non-finite doubles, over many chunks and COPY buffers", async () => {
    await createMart(
      lake,
      "edge_values",
      `select * from (values
        (1, date '0044-03-15' - 365 * 100, timestamp '0001-01-01 10:20:30' - interval 1 day, 'inf'::double),
        (2, date '0001-01-01', timestamp '0001-01-01 00:00:00', '-inf'::double),
        (3, date '2026-11-24', timestamp '2026-11-24 12:00:00.25', 'nan'::double)
      ) t(id, day, ts, f64)
      -- enough rows for many DuckDB chunks and 1 MiB COPY buffers
      union all select (10 + range)::integer, date '2000-01-01', timestamp '2000-01-01', 0 from range(100000)`,
      { key: "id" },
    );
    await syncMarts(
      { config: lake.config, paths: lake.paths, logger: lake.logger },
      { databaseUrl: pgUrl, schema: db.schema, select: ["edge_values"] },
    );
    const { rows } = await db.client.query(
      `select id, day::text, ts::text, f64::text from "${db.schema}".edge_values where id < 10 order by id`,
    );
    expect(rows).toEqual([
      { id: 1, day: "0057-04-09 BC", ts: "0001-12-31 10:20:30 BC", f64: "Infinity" },
      { id: 2, day: "0001-01-01", ts: "0001-01-01 00:00:00", f64: "-Infinity" },
      { id: 3, day: "2026-11-24", ts: "2026-11-24 12:00:00.25", f64: "NaN" },
    ]);
  });

  it("encodes the binary COPY edge cases exactly: decimal scales and widths, infinities, long strings", async () => {
    await createMart(
      lake,
      "binary_edges",
      `select * from (values
        (1, 123.000456::decimal(18,6), 0.000000000000001::decimal(18,15), 999999999999999999::decimal(18,0),
         -99999999999999999999999999999999999999::decimal(38,0), 12.5::decimal(18,4), 'infinity'::date,
         'infinity'::timestamp, 'infinity'::timestamptz, repeat('x', 3000000), -0.0::double, 'nan'::float),
        (2, -0.000001::decimal(18,6), -9.999999999999999::decimal(18,15), -1::decimal(18,0),
         0::decimal(38,0), -0.0001::decimal(18,4), '-infinity'::date,
         '-infinity'::timestamp, '-infinity'::timestamptz, 'café' || repeat('é', 20), 5e-324::double, 'inf'::float),
        (3, 0::decimal(18,6), 0::decimal(18,15), 0::decimal(18,0), 10000::decimal(38,0), 10000::decimal(18,4),
         date '4000-01-01 (BC)', timestamp '294246-12-31 23:59:59.999999', timestamptz '1999-12-31 23:59:59.999999+00',
         'twelve bytes', 1e308::double, -1.17549435e-38::float)
      ) t(id, d6, d15, d0, d38, d4, day, ts, tstz, txt, f64, f32)`,
      { key: "id" },
    );
    await syncMarts(
      { config: lake.config, paths: lake.paths, logger: lake.logger },
      { databaseUrl: pgUrl, schema: db.schema, select: ["binary_edges"] },
    );
    const { rows } = await db.client.query(
      `select id, d6::text, d15::text, d0::text, d38::text, d4::text, day::text, ts::text, tstz::text,
        length(txt) as len, left(txt, 6) as head, f64::text, f32::text from "${db.schema}".binary_edges order by id`,
    );
    expect(rows).toEqual([
      {
        id: 1,
        d6: "123.000456",
        d15: "0.000000000000001",
        d0: "999999999999999999",
        d38: "-99999999999999999999999999999999999999",
        d4: "12.5000",
        day: "infinity",
        ts: "infinity",
        tstz: "infinity",
        len: 3000000,
        head: "xxxxxx",
        f64: "-0",
        f32: "NaN",
      },
      {
        id: 2,
        d6: "-0.000001",
        d15: "-9.999999999999999",
        d0: "-1",
        d38: "0",
        d4: "-0.0001",
        day: "-infinity",
        ts: "-infinity",
        tstz: "-infinity",
        len: 24,
        head: "cafééé",
        f64: "5e-324",
        f32: "Infinity",
      },
      {
        id: 3,
        d6: "0.000000",
        d15: "0.000000000000000",
        d0: "0",
        d38: "10000",
        d4: "10000.0000",
        day: "4000-01-01 BC",
        ts: "294246-12-31 23:59:59.999999",
        tstz: "1999-12-31 23:59:59.999999+00",
        len: 12,
        head: "twelve",
        f64: "1e+308",
        f32: "-1.1754944e-38",
      },
    ]);
  });

  it("verifies date and timestamp columns holding +-infinity: finite values summed, infinities counted", async () => {
    await createMart(
      lake,
      "infinite_dates",
      `select * from (values
        (1, 'infinity'::date, 'infinity'::timestamp, '-infinity'::timestamptz),
        (2, '-infinity'::date, timestamp '1970-01-02 00:00:01', 'infinity'::timestamptz),
        (3, date '1970-01-11', '-infinity'::timestamp, '-infinity'::timestamptz),
        (4, 'infinity'::date, null, timestamptz '1969-12-31 23:59:59.5+00')
      ) t(id, day, ts, tstz)`,
      { key: "id" },
    );
    const summary = await syncMarts(
      { config: lake.config, paths: lake.paths, logger: lake.logger },
      { databaseUrl: pgUrl, schema: db.schema, select: ["infinite_dates"], verify: true },
    );
    const checks = summary.checks.filter((c) => c.table === "infinite_dates" && c.column !== "id");
    expect(checks.filter((c) => !c.match)).toEqual([]);
    expect(checks.map((c) => [c.column, c.check, c.duckdb])).toEqual([
      ["day", "count", "4"],
      ["day", "sum of days", "10"],
      ["day", "infinities (+/-)", "2/1"],
      ["ts", "count", "3"],
      ["ts", "sum of epoch", String(86_401_000_000)],
      ["ts", "infinities (+/-)", "1/1"],
      ["tstz", "count", "4"],
      ["tstz", "sum of epoch", "-500000"],
      ["tstz", "infinities (+/-)", "1/2"],
    ]);
  });

  it("stops on a value Postgres refuses mid-COPY (its own error) or the encoder refuses, and leaves the table as it was", async () => {
    await createMart(
      lake,
      "late_dates",
      `select range::integer as id, case when range = 150000 then date '5874898-01-01' else date '2026-01-01' end as day
       from range(200000)`,
      { key: "id" },
    );
    await expect(
      syncMarts(
        { config: lake.config, paths: lake.paths, logger: lake.logger },
        { databaseUrl: pgUrl, schema: db.schema, select: ["late_dates"] },
      ),
    ).rejects.toThrow("date out of range");
    const { rows } = await db.client.query(
      `select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'late_dates'`,
      [db.schema],
    );
    expect(rows[0].n).toBe(0);
    // A value the encoder itself refuses (DuckDB's earliest date, before 4713 BC) aborts the COPY from our side.
    await createMart(lake, "late_dates", "select 1 as id, (date '1970-01-01' - 2147483640)::date as day", {
      key: "id",
    });
    await expect(
      syncMarts(
        { config: lake.config, paths: lake.paths, logger: lake.logger },
        { databaseUrl: pgUrl, schema: db.schema, select: ["late_dates"] },
      ),
    ).rejects.toThrow("A date in column day is before the earliest one Postgres can store");
  });
});
