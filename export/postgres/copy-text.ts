import {
  Bool,
  DateDay,
  Decimal,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Timestamp,
  Utf8,
  type Data,
  type RecordBatch,
} from "apache-arrow";

/**
 * Encode Arrow record batches as Postgres COPY text format: tab-separated, `\N` for NULL, backslash
 * escapes. Text COPY was measured against binary: Postgres parses both at about the same speed for these
 * types, and text keeps numeric exact without re-implementing its binary base-10000 format.
 */
export function encodeBatch(batch: RecordBatch): string {
  const columns = batch.schema.fields.map((_, i) => formatterFor(batch.getChildAt(i)!.data[0]!));
  const rows: string[] = new Array(batch.numRows);
  const width = columns.length;
  const cells: string[] = new Array(width);
  for (let r = 0; r < batch.numRows; r++) {
    for (let c = 0; c < width; c++) cells[c] = columns[c]!(r);
    rows[r] = cells.join("\t");
  }
  return rows.length ? `${rows.join("\n")}\n` : "";
}

type Formatter = (row: number) => string;

function formatterFor(data: Data): Formatter {
  const bitmap = data.nullBitmap;
  const isNull = bitmap && data.nullCount > 0 ? (r: number) => ((bitmap[r >> 3]! >> (r & 7)) & 1) === 0 : () => false;
  const values = data.values as ArrayLike<number | bigint>;
  const format = valueFormatter(data, values);
  return (r) => (isNull(r) ? "\\N" : format(r));
}

function valueFormatter(data: Data, values: ArrayLike<number | bigint>): Formatter {
  const type = data.type;
  if (type instanceof Int8 || type instanceof Int16 || type instanceof Int32 || type instanceof Int64)
    return (r) => String(values[r]);
  if (type instanceof Float32 || type instanceof Float64) return (r) => formatFloat(values[r] as number);
  if (type instanceof Bool) return (r) => (((data.values as Uint8Array)[r >> 3]! >> (r & 7)) & 1 ? "t" : "f");
  if (type instanceof DateDay) return (r) => formatDate(values[r] as number);
  if (type instanceof Timestamp) {
    const zone = type.timezone ? "+00" : "";
    return (r) => formatTimestamp(values[r] as bigint) + zone;
  }
  if (type instanceof Decimal) {
    const words = new BigUint64Array(data.values.buffer, data.values.byteOffset, data.length * 2);
    const scale = type.scale;
    return (r) => formatDecimal(words[r * 2]!, words[r * 2 + 1]!, scale);
  }
  if (type instanceof Utf8) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    const decoder = new TextDecoder();
    return (r) => escapeText(decoder.decode(bytes.subarray(offsets[r]!, offsets[r + 1]!)));
  }
  throw new Error(`No COPY encoding for Arrow type ${String(type)}`);
}

function formatFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  return String(value);
}

const dateCache = new Map<number, string>();
function formatDate(days: number): string {
  let s = dateCache.get(days);
  if (s === undefined) {
    s = isoDate(days * 86_400_000);
    if (dateCache.size < 100_000) dateCache.set(days, s);
  }
  return s;
}

function isoDate(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const y = year <= 0 ? `${String(1 - year).padStart(4, "0")}` : String(year).padStart(4, "0");
  return `${y}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}${year <= 0 ? " BC" : ""}`;
}

function formatTimestamp(micros: bigint): string {
  let seconds = micros / 1_000_000n;
  let fraction = micros % 1_000_000n;
  if (fraction < 0n) {
    fraction += 1_000_000n;
    seconds -= 1n;
  }
  const secs = Number(seconds);
  const dayMs = Math.floor(secs / 86_400) * 86_400_000;
  const rest = secs - Math.floor(secs / 86_400) * 86_400;
  const time = `${String(Math.floor(rest / 3600)).padStart(2, "0")}:${String(Math.floor((rest % 3600) / 60)).padStart(2, "0")}:${String(rest % 60).padStart(2, "0")}`;
  const date = formatDate(dayMs / 86_400_000);
  const bc = date.endsWith(" BC");
  const frac = fraction ? `.${String(fraction).padStart(6, "0")}` : "";
  return `${bc ? date.slice(0, -3) : date} ${time}${frac}${bc ? " BC" : ""}`;
}

function formatDecimal(low: bigint, high: bigint, scale: number): string {
  let value = (BigInt.asIntN(64, high) << 64n) | low;
  const negative = value < 0n;
  if (negative) value = -value;
  let digits = value.toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

const needsEscape = /[\\\t\n\r]/;
function escapeText(value: string): string {
  if (!needsEscape.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}
