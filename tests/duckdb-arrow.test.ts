import type { Data, RecordBatch } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { arrowColumn, streamArrowBatches } from "../cli/core/arrow/duckdb-arrow.ts";
import { queryRows, withDuckdb } from "../cli/core/duckdb.ts";

// 5,000 rows: three chunks (2,048 rows each), nulls every 7th row from row 3, so masks span several 64-bit words.
const source = `
  select
      i,
      case when i % 7 = 3 then null else columns(* exclude (i)) end,
  from (
      select
          i,
          (i % 256 - 128)::tinyint as tiny,
          (i * 13 - 32768)::smallint as small,
          (i * 429496 - 2147483648)::integer as int,
          (i::bigint * 1844674407370955 - 9223372036854775807)::bigint as big,
          (i % 256)::utinyint as utiny,
          (i * 13)::usmallint as usmall,
          (i * 858993)::uinteger as uint,
          (i / 7.0)::float as f32,
          (i / 7.0 - 300)::double as f64,
          ((i % 1999) / 10.0 - 99.9)::decimal(4, 1) as d4,
          ((i % 1600) * 1234.567 - 999999.999)::decimal(9, 3) as d9,
          (i * 12345678.91 - 9999999999.99)::decimal(18, 2) as d18,
          (i::hugeint * 12345678901234567 - 9999999999999999999)::decimal(38, 10) as d38,
          case i % 3 when 0 then '' when 1 then 'héllo wörld 🦆 ' || i else repeat('x', i % 40) end as text,
          i % 2 = 0 as flag,
          date '1969-07-20' + (i * 11)::integer as day,
          timestamp '1950-05-04 03:02:01.123456' + i * interval 1 hour + i * interval 7 microsecond as ts,
          timestamptz '1960-01-01 00:00:00+00' + i * interval 17 minute as tstz,
          [i, i + 1, null] as list,
          {'a': i, 'b': 'x' || i, 'c': [true, null]} as struct,
          map(['k' || i], [i]) as map,
          ('{"n":' || i || '}')::json as doc,
      from range(5000) t(i)
  )`;

/** The expected value of each column, computed by DuckDB itself as text, independent of the Arrow path. */
const expectedSql = `
  select
      tiny::varchar as tiny, small::varchar as small, int::varchar as int, big::varchar as big,
      utiny::varchar as utiny, usmall::varchar as usmall, uint::varchar as uint,
      f32::double as f32, f64 as f64,
      replace(columns(['d4', 'd9', 'd18', 'd38'])::varchar, '.', '')::hugeint::varchar,
      text, flag, (day - date '1970-01-01')::varchar as day, epoch_us(ts)::varchar as ts, epoch_us(tstz)::varchar as tstz,
      to_json(list)::varchar as list, to_json(struct)::varchar as struct, to_json(map)::varchar as map,
      doc::varchar as doc,
  from src order by i`;

/** An Arrow value in the same text form: raw storage for numbers, dates and decimals (unscaled). */
function arrowText(data: Data, row: number): unknown {
  if (!data.getValid(row)) return null;
  const values = data.values as ArrayLike<number | bigint>;
  const typeName = data.type.toString();
  if (typeName.startsWith("Decimal")) {
    const w = (k: number) => BigInt(values[row * 4 + k] as number);
    const unsigned = w(0) | (w(1) << 32n) | (w(2) << 64n) | (w(3) << 96n);
    return (unsigned >= 1n << 127n ? unsigned - (1n << 128n) : unsigned).toString();
  }
  if (typeName === "Utf8") {
    const offsets = data.valueOffsets as Int32Array;
    return new TextDecoder().decode((values as Uint8Array).subarray(offsets[row]!, offsets[row + 1]!));
  }
  if (typeName === "Bool") return Boolean(((values as Uint8Array)[row >> 3]! >> (row & 7)) & 1);
  if (typeName.startsWith("Float")) return Number(values[row]);
  return String(values[row]);
}

describe("DuckDB -> Arrow", () => {
  it("round-trips every supported type, nulls, decimals, timestamps and nested values as JSON", async () => {
    const { expected, batches, columns } = await withDuckdb({}, async (c) => {
      await c.run(`create table src as ${source}`);
      const described = await queryRows(
        c,
        "select column_name, column_type from (describe src) where column_name <> 'i'",
      );
      const columns = described.map((d) => arrowColumn(String(d["column_name"]), String(d["column_type"]), "src"));
      const batches: RecordBatch[] = [];
      const sql = `select ${columns.map((col) => col.select).join(", ")} from src order by i`;
      for await (const batch of streamArrowBatches(c, sql, columns)) batches.push(batch);
      return { expected: await queryRows(c, expectedSql), batches, columns };
    });
    expect(batches.length).toBe(3);
    const rows = batches.flatMap((batch) =>
      Array.from({ length: batch.numRows }, (_, r) =>
        Object.fromEntries(columns.map((col, i) => [col.name, arrowText(batch.getChildAt(i)!.data[0]!, r)])),
      ),
    );
    expect(rows.length).toBe(5000);
    const f32 = (v: unknown) => (v === null ? null : Math.fround(Number(v)));
    const normalize = (row: Record<string, unknown>) => ({ ...row, f32: f32(row["f32"]) });
    expect(rows.map(normalize)).toEqual(expected.map(normalize));
    // Spot checks against literal values, in case both sides agreed on something wrong.
    expect(rows[3]!["big"]).toBeNull();
    expect(rows[0]).toMatchObject({ tiny: "-128", d4: "-999", day: "-165", ts: "-620513878876544", flag: true });
    expect(rows[1]).toMatchObject({ text: "héllo wörld 🦆 1", list: "[1,2,null]", map: '{"k1":1}' });
    expect(rows[2]!["struct"]).toBe('{"a":2,"b":"x2","c":[true,null]}');
    expect(rows.filter((r) => r["int"] === null).length).toBe(714);
  });
});
