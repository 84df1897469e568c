import type { DuckDBConnection, DuckDBDataChunk, DuckDBType, DuckDBVector } from "@duckdb/node-api";
import {
  Bool,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  TimestampMicrosecond,
  Utf8,
  type Data,
  type DataType,
} from "apache-arrow";
import { quoteIdent } from "../duckdb.ts";
import { DuckmartError } from "../errors.ts";

/** Arrow field metadata key that marks a Utf8 column carrying JSON (a DuckDB LIST or STRUCT). */
export const JSON_METADATA = "duckmart.json";

export interface ArrowColumn {
  name: string;
  duckdbType: string;
  field: Field;
  /** How the column is selected from DuckDB (nested types are serialised to JSON there). */
  select: string;
}

/** DuckDB type -> Arrow field. A type with no mapping is an error that names the column. */
export function arrowColumn(name: string, duckdbType: string, table: string): ArrowColumn {
  const t = duckdbType.toUpperCase();
  const widen: Record<string, string> = { UTINYINT: "smallint", USMALLINT: "integer", UINTEGER: "bigint" };
  const plain = (type: DataType) => ({
    name,
    duckdbType,
    field: new Field(name, type, true),
    select: widen[t] ? `${quoteIdent(name)}::${widen[t]} as ${quoteIdent(name)}` : quoteIdent(name),
  });
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (decimal) return plain(new Decimal(Number(decimal[2]), Number(decimal[1]), 128));
  if (t.endsWith("[]") || t.startsWith("STRUCT") || t.startsWith("MAP") || t === "JSON") {
    return {
      name,
      duckdbType,
      field: new Field(name, new Utf8(), true, new Map([[JSON_METADATA, "true"]])),
      select: `to_json(${quoteIdent(name)})::varchar as ${quoteIdent(name)}`,
    };
  }
  const simple: Record<string, () => DataType> = {
    TINYINT: () => new Int8(),
    SMALLINT: () => new Int16(),
    INTEGER: () => new Int32(),
    BIGINT: () => new Int64(),
    UTINYINT: () => new Int16(),
    USMALLINT: () => new Int32(),
    UINTEGER: () => new Int64(),
    FLOAT: () => new Float32(),
    DOUBLE: () => new Float64(),
    BOOLEAN: () => new Bool(),
    VARCHAR: () => new Utf8(),
    DATE: () => new DateDay(),
    TIMESTAMP: () => new TimestampMicrosecond(),
    "TIMESTAMP WITH TIME ZONE": () => new TimestampMicrosecond("UTC"),
  };
  const make = simple[t];
  if (!make) {
    throw new DuckmartError(`Cannot sync ${table}.${name}: DuckDB type ${duckdbType} has no Postgres mapping`, {
      hint: `Cast the column in the model to a supported type (integers, DOUBLE, DECIMAL, VARCHAR, BOOLEAN, DATE, TIMESTAMP[TZ], LIST, STRUCT).`,
    });
  }
  return plain(make());
}

/** Stream a query as Arrow record batches, one per DuckDB chunk (2048 rows); numeric buffers are not copied. */
export async function* streamArrowBatches(
  connection: DuckDBConnection,
  sql: string,
  columns: ArrowColumn[],
): AsyncGenerator<RecordBatch> {
  const result = await connection.stream(sql);
  const schema = new Schema(columns.map((c) => c.field));
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    yield chunkToBatch(chunk, schema, columns, result.columnTypes());
  }
}

function chunkToBatch(
  chunk: DuckDBDataChunk,
  schema: Schema,
  columns: ArrowColumn[],
  types: DuckDBType[],
): RecordBatch {
  const length = chunk.rowCount;
  const children = columns.map((c, i) =>
    vectorData(chunk.getColumnVector(i), c.field.type as DataType, length, types[i]!),
  );
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
}

type AnyVector = DuckDBVector & {
  items?: ArrayLike<unknown> & ArrayBufferView;
  dataView?: DataView;
  validity?: { data?: BigUint64Array; offset?: number };
  getItem(i: number): unknown;
};

function vectorData(vector: DuckDBVector, type: DataType, length: number, duckType: DuckDBType): Data {
  const v = vector as AnyVector;
  const mask = v.validity?.data;
  const nullBitmap = mask ? new Uint8Array(mask.buffer, mask.byteOffset, Math.ceil(length / 8)) : undefined;
  const nullCount = nullBitmap ? countNulls(nullBitmap, length) : 0;
  const base = { type, length, nullCount, nullBitmap } as const;
  if (v.items) return makeData({ ...base, data: v.items } as never);
  if (type instanceof Bool) return makeData({ ...base, data: packBits(v.dataView!, length) } as never);
  if (type instanceof Decimal)
    return makeData({
      ...base,
      data: decimal128(v.dataView!, length, Number((duckType as { width?: number }).width ?? 18)),
    } as never);
  // Strings: Arrow offsets + UTF-8 bytes.
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const offsets = new Int32Array(length + 1);
  let size = 0;
  for (let i = 0; i < length; i++) {
    const item = v.getItem(i);
    if (item !== null && item !== undefined) {
      const bytes = encoder.encode(String(item));
      parts.push(bytes);
      size += bytes.length;
    }
    offsets[i + 1] = size;
  }
  const data = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return makeData({ ...base, valueOffsets: offsets, data } as never);
}

function countNulls(bitmap: Uint8Array, length: number): number {
  let valid = 0;
  for (let i = 0; i < length; i++) valid += (bitmap[i >> 3]! >> (i & 7)) & 1;
  return length - valid;
}

function packBits(view: DataView, length: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(length / 8));
  for (let i = 0; i < length; i++) if (view.getUint8(i)) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** DuckDB stores decimals as int16/32/64/128 by width; Arrow wants 128-bit little-endian two's complement. */
function decimal128(view: DataView, length: number, width: number): Uint32Array {
  if (width > 18) return new Uint32Array(view.buffer, view.byteOffset, length * 4);
  const out = new BigInt64Array(length * 2);
  for (let i = 0; i < length; i++) {
    const value =
      width <= 4
        ? BigInt(view.getInt16(i * 2, true))
        : width <= 9
          ? BigInt(view.getInt32(i * 4, true))
          : view.getBigInt64(i * 8, true);
    out[i * 2] = value;
    out[i * 2 + 1] = value < 0n ? -1n : 0n;
  }
  return new Uint32Array(out.buffer);
}
