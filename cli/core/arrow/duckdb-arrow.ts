import type { DuckDBConnection, DuckDBDataChunk, DuckDBType, DuckDBVector } from "@duckdb/node-api";
import bindings from "@duckdb/node-bindings";
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

/**
 * Stream a query as Arrow record batches, one per DuckDB chunk (2048 rows). Fixed-width columns are views over
 * DuckDB's own vector memory, read through the DuckDB C API (`duckdb_vector_get_data`, `duckdb_vector_get_validity`
 * in @duckdb/node-bindings, which @duckdb/node-api is built on; both pinned to one exact version in package.json).
 */
export async function* streamArrowBatches(
  connection: DuckDBConnection,
  sql: string,
  columns: ArrowColumn[],
): AsyncGenerator<RecordBatch> {
  const result = await connection.stream(sql);
  const schema = new Schema(columns.map((c) => c.field));
  const types = result.columnTypes();
  // The chunk stays referenced here until the consumer has used the batch and asks for the next one.
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const length = chunk.rowCount;
    const children = columns.map((c, i) => columnData(chunk!, i, c.field.type as DataType, length, types[i]!));
    yield new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
  }
}

/** Bytes per value of the DuckDB vectors read as they are (the SQL casts the rest to these). */
function fixedWidth(type: DataType): number | undefined {
  if (type instanceof Int8 || type instanceof Bool) return 1;
  if (type instanceof Int16) return 2;
  if (type instanceof Int32 || type instanceof Float32 || type instanceof DateDay) return 4;
  if (type instanceof Int64 || type instanceof Float64 || type instanceof TimestampMicrosecond) return 8;
  return undefined;
}

function columnData(chunk: DuckDBDataChunk, index: number, type: DataType, length: number, duckType: DuckDBType): Data {
  const vector = bindings.data_chunk_get_vector(chunk.chunk, index);
  const validity = bindings.vector_get_validity(vector, Math.ceil(length / 64) * 8);
  // No validity mask means no nulls. DuckDB's mask is little-endian uint64 words: the same bits as Arrow's bitmap.
  const nullBitmap = validity?.byteLength ? validity.subarray(0, Math.ceil(length / 8)) : undefined;
  const nullCount = nullBitmap ? countNulls(nullBitmap, length) : 0;
  const base = { type, length, nullCount, nullBitmap } as const;
  const raw = (bytes: number) => bindings.vector_get_data(vector, length * bytes);
  if (type instanceof Decimal) {
    const width = Number((duckType as { width?: number }).width ?? 18);
    const bytes = width <= 4 ? 2 : width <= 9 ? 4 : width <= 18 ? 8 : 16;
    return makeData({ ...base, data: decimal128(raw(bytes), length, bytes) } as never);
  }
  const size = fixedWidth(type);
  if (size) {
    const data = raw(size);
    if (type instanceof Bool) return makeData({ ...base, data: packBits(data, length) } as never);
    return makeData({ ...base, data: typedView(type, data, length) } as never);
  }
  return utf8Data(chunk.getColumnVector(index), base);
}

function typedView(type: DataType, bytes: Uint8Array, length: number): ArrayBufferView {
  const { buffer, byteOffset } = bytes;
  if (type instanceof Int8) return new Int8Array(buffer, byteOffset, length);
  if (type instanceof Int16) return new Int16Array(buffer, byteOffset, length);
  if (type instanceof Int32 || type instanceof DateDay) return new Int32Array(buffer, byteOffset, length);
  if (type instanceof Float32) return new Float32Array(buffer, byteOffset, length);
  if (type instanceof Float64) return new Float64Array(buffer, byteOffset, length);
  return new BigInt64Array(buffer, byteOffset, length);
}

/** Strings: Arrow offsets + UTF-8 bytes, from the public vector API (DuckDB strings are not contiguous). */
function utf8Data(
  vector: DuckDBVector,
  base: { type: DataType; length: number; nullCount: number; nullBitmap: Uint8Array | undefined },
): Data {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const offsets = new Int32Array(base.length + 1);
  let size = 0;
  for (let i = 0; i < base.length; i++) {
    const item = vector.getItem(i);
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

function packBits(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(length / 8));
  for (let i = 0; i < length; i++) if (bytes[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** DuckDB stores decimals as int16/32/64/128 by width; Arrow wants 128-bit little-endian two's complement. */
function decimal128(bytes: Uint8Array, length: number, size: number): Uint32Array {
  if (size === 16) return new Uint32Array(bytes.buffer, bytes.byteOffset, length * 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new BigInt64Array(length * 2);
  for (let i = 0; i < length; i++) {
    const value =
      size === 2
        ? BigInt(view.getInt16(i * 2, true))
        : size === 4
          ? BigInt(view.getInt32(i * 4, true))
          : view.getBigInt64(i * 8, true);
    out[i * 2] = value;
    out[i * 2 + 1] = value < 0n ? -1n : 0n;
  }
  return new Uint32Array(out.buffer);
}
