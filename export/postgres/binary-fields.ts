import type { DuckDBDataChunk } from "@duckdb/node-api";
import bindings from "@duckdb/node-bindings";
import { Bool, DateDay, Decimal, Float32, Float64, Int16, Int32, Int64, Int8, Timestamp, Utf8 } from "apache-arrow";
import { JSON_METADATA, type ArrowColumn } from "../../cli/core/arrow/duckdb-arrow.ts";
import { DuckmartError } from "../../cli/core/errors.ts";

const BUFFER_BYTES = 1 << 20;

/** The buffer rows are encoded into; a full one is handed over and a new one allocated (never reused). */
export class BinaryOut {
  buf = Buffer.allocUnsafe(BUFFER_BYTES);
  view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  pos = 0;
  full: Buffer[] = [];
  /** Room the rest of a row's fixed-width fields may need (a string ensures it beside its own bytes). */
  reserve = 0;

  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    if (this.pos) this.full.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(BUFFER_BYTES, bytes));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.pos = 0;
  }

  /** Everything encoded so far, the partial buffer included. */
  take(): Buffer[] {
    if (this.pos) this.full.push(this.buf.subarray(0, this.pos));
    const taken = this.full;
    this.full = [];
    this.buf = this.buf.subarray(this.pos);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.pos = 0;
    return taken;
  }
}

/** Writes field `row` of one column (length word included, -1 for NULL); `fixed` bounds its size, strings aside. */
export type FieldWriter = (out: BinaryOut, row: number) => void;

/** Microseconds from 1970-01-01 (DuckDB) to 2000-01-01 (Postgres), split in 32-bit words; and days. */
const EPOCH_HI = 220417;
const EPOCH_LO = 993517568;
const EPOCH_DAYS = 10957;

/** Bytes a field can take at most, strings aside (they ensure their own room). */
export function fieldBound(column: ArrowColumn): number {
  const t = column.field.type;
  return t instanceof Decimal ? 8 + 2 * (Math.ceil(t.precision / 4) + 2) + 4 : 12;
}

/**
 * Encode one column of a flat DuckDB chunk in Postgres' binary COPY format (the `*_recv` functions of each type):
 * big-endian integers and floats, numeric as base-10000 digits, dates and timestamps from 2000-01-01, text as UTF-8,
 * jsonb as version 1 + text. Infinite dates and timestamps map to Postgres' infinities.
 */
export function fieldWriter(chunk: DuckDBDataChunk, index: number, column: ArrowColumn, length: number): FieldWriter {
  const vector = bindings.data_chunk_get_vector(chunk.chunk, index);
  const validity = bindings.vector_get_validity(vector, Math.ceil(length / 64) * 8);
  const mask = validity?.byteLength ? validity : undefined;
  const type = column.field.type;
  const data = (bytes: number) => bindings.vector_get_data(vector, length * bytes);
  const words = (bytes: number) => {
    const raw = data(bytes);
    return new Int32Array(raw.buffer, raw.byteOffset, (length * bytes) / 4);
  };
  let write: FieldWriter;
  if (type instanceof Int8 || type instanceof Int16) {
    const raw = data(type instanceof Int8 ? 1 : 2);
    const src =
      type instanceof Int8
        ? new Int8Array(raw.buffer, raw.byteOffset, length)
        : new Int16Array(raw.buffer, raw.byteOffset, length);
    write = (out, row) => {
      out.view.setInt32(out.pos, 2);
      out.view.setInt16(out.pos + 4, src[row]!);
      out.pos += 6;
    };
  } else if (type instanceof Int32 || type instanceof Float32) {
    const src = words(4);
    write = (out, row) => {
      out.view.setInt32(out.pos, 4);
      out.view.setInt32(out.pos + 4, src[row]!);
      out.pos += 8;
    };
  } else if (type instanceof Int64 || type instanceof Float64) {
    const src = words(8);
    write = (out, row) => {
      out.view.setInt32(out.pos, 8);
      out.view.setInt32(out.pos + 4, src[2 * row + 1]!);
      out.view.setInt32(out.pos + 8, src[2 * row]!);
      out.pos += 12;
    };
  } else if (type instanceof Bool) {
    const src = data(1);
    write = (out, row) => {
      out.view.setInt32(out.pos, 1);
      out.buf[out.pos + 4] = src[row] ? 1 : 0;
      out.pos += 5;
    };
  } else if (type instanceof DateDay) {
    const src = words(4);
    write = (out, row) => {
      const days = src[row]!;
      if (days - EPOCH_DAYS < -2147483647 && days !== -2147483647) throw outOfRange(column, "date");
      out.view.setInt32(out.pos, 4);
      // DuckDB's infinities are +-(2^31 - 1) days; Postgres' are INT32_MAX and INT32_MIN.
      out.view.setInt32(
        out.pos + 4,
        days === 2147483647 ? days : days === -2147483647 ? -2147483648 : days - EPOCH_DAYS,
      );
      out.pos += 8;
    };
  } else if (type instanceof Timestamp) {
    const src = words(8);
    write = (out, row) => {
      let hi = src[2 * row + 1]!;
      let lo = src[2 * row]! >>> 0;
      // DuckDB's infinities are +-(2^63 - 1) microseconds; Postgres' are INT64_MAX and INT64_MIN.
      if (hi === -2147483648 && lo === 1) lo = 0;
      else if (hi !== 2147483647 || lo !== 0xffffffff) {
        const borrow = lo < EPOCH_LO ? 1 : 0;
        hi = hi - EPOCH_HI - borrow;
        lo = lo - EPOCH_LO + borrow * 0x100000000;
        if (hi < -2147483648) throw outOfRange(column, "timestamp");
      }
      out.view.setInt32(out.pos, 8);
      out.view.setInt32(out.pos + 4, hi);
      out.view.setUint32(out.pos + 8, lo);
      out.pos += 12;
    };
  } else if (type instanceof Decimal) {
    write = decimalWriter(data, type.precision, type.scale, length);
  } else if (type instanceof Utf8) {
    write = stringWriter(data(16), Boolean(column.field.metadata.get(JSON_METADATA)));
  } else throw new Error(`No binary COPY encoding for ${String(type)} (${column.name})`);
  if (!mask || allValid(mask, length)) return write;
  return (out, row) => {
    if ((mask[row >> 3]! >> (row & 7)) & 1) write(out, row);
    else {
      out.view.setInt32(out.pos, -1);
      out.pos += 4;
    }
  };
}

/** DuckDB often keeps a validity mask with every bit set: then the column has no NULL in this chunk. */
function allValid(mask: Uint8Array, length: number): boolean {
  const whole = length >> 3;
  for (let i = 0; i < whole; i++) if (mask[i] !== 0xff) return false;
  const rest = length & 7;
  return rest === 0 || (mask[whole]! & ((1 << rest) - 1)) === (1 << rest) - 1;
}

/** Below Postgres' range (and below 32 bits once moved to its epoch): Postgres would refuse it anyway. */
function outOfRange(column: ArrowColumn, what: string): DuckmartError {
  return new DuckmartError(`A ${what} in column ${column.name} is before the earliest one Postgres can store`, {
    hint: "Postgres dates and timestamps start in 4713 BC; filter or cast that value in the model.",
  });
}

/** DuckDB's string_t: 4-byte length, then up to 12 bytes inline, or a 4-byte prefix and a pointer. */
function stringWriter(raw: Uint8Array, json: boolean): FieldWriter {
  const lengths = new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const extra = json ? 1 : 0;
  return (out, row) => {
    const size = lengths[4 * row]!;
    out.ensure(size + 5 + out.reserve);
    out.view.setInt32(out.pos, size + extra);
    if (json) out.buf[out.pos + 4] = 1;
    out.pos += 4 + extra;
    const at = raw.byteOffset + 16 * row;
    if (size <= 12) for (let i = 0; i < size; i++) out.buf[out.pos + i] = raw[16 * row + 4 + i]!;
    else out.buf.set(bindings.get_data_from_pointer(raw.buffer as ArrayBuffer, at + 8, size), out.pos);
    out.pos += size;
  };
}

/** numeric: ndigits, weight, sign, dscale, then base-10000 digits, the fraction aligned on the decimal point. */
function decimalWriter(
  data: (bytes: number) => Uint8Array,
  precision: number,
  scale: number,
  length: number,
): FieldWriter {
  const bytes = precision <= 4 ? 2 : precision <= 9 ? 4 : precision <= 18 ? 8 : 16;
  const raw = data(bytes);
  const view = new DataView(raw.buffer, raw.byteOffset, length * bytes);
  const fracGroups = Math.ceil(scale / 4);
  const align = 10 ** (fracGroups * 4 - scale);
  const unit = 10 ** scale;
  const bigAlign = 10n ** BigInt(fracGroups * 4 - scale);
  // Least significant first: `fracGroups` groups of the fraction, then the integer part's.
  const groups = new Int32Array(Math.ceil(precision / 4) + 2);
  let n = 0;
  const emit = (out: BinaryOut, negative: boolean) => {
    const { view: target } = out;
    let at = out.pos;
    target.setInt32(at, 8 + 2 * n);
    target.setInt16(at + 4, n);
    target.setInt16(at + 6, n - fracGroups - 1);
    target.setUint16(at + 8, negative ? 0x4000 : 0);
    target.setInt16(at + 10, scale);
    at += 12;
    for (let i = n - 1; i >= 0; i--, at += 2) target.setInt16(at, groups[i]!);
    out.pos = at;
  };
  /** Base-10000 groups of a non-negative integer below 2^53 (floor division, corrected where it rounds up). */
  const split = (value: number) => {
    while (value > 0) {
      let q = Math.floor(value / 10000);
      let r = value - q * 10000;
      if (r < 0) {
        q -= 1;
        r += 10000;
      }
      groups[n++] = r;
      value = q;
    }
  };
  // Plain numbers below 2^53 with at most 12 decimals (the fraction x align stays below 10^15); BigInt beyond.
  const small = (out: BinaryOut, value: number) => {
    const abs = value < 0 ? -value : value;
    let whole = Math.floor(abs / unit);
    let fraction = abs - whole * unit;
    if (fraction < 0) {
      whole -= 1;
      fraction += unit;
    }
    n = 0;
    if (fracGroups === 1) groups[n++] = fraction * align;
    else if (fracGroups > 1) {
      split(fraction * align);
      while (n < fracGroups) groups[n++] = 0;
    }
    split(whole);
    emit(out, value < 0);
  };
  const big = (out: BinaryOut, value: bigint) => {
    n = 0;
    for (let v = (value < 0n ? -value : value) * bigAlign; v > 0n || n < fracGroups; v /= 10000n)
      groups[n++] = Number(v % 10000n);
    emit(out, value < 0n);
  };
  if (bytes === 2) return (out, row) => small(out, view.getInt16(row * 2, true));
  if (bytes === 4) return (out, row) => small(out, view.getInt32(row * 4, true));
  if (bytes === 8)
    return (out, row) => {
      const hi = view.getInt32(row * 8 + 4, true);
      if (hi >= -2097152 && hi < 2097152 && scale <= 12) small(out, hi * 0x100000000 + view.getUint32(row * 8, true));
      else big(out, view.getBigInt64(row * 8, true));
    };
  return (out, row) => big(out, (view.getBigInt64(row * 16 + 8, true) << 64n) + view.getBigUint64(row * 16, true));
}
