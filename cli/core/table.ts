/**
 * A plain-text table for summaries: aligned columns, no colour, safe for logs and non-TTY output. Counts and
 * durations read `1,234` and `12.35`; `exact` (data, such as a data test's sample rows) prints every value as it
 * is: ids without separators, decimals in full.
 */
export function formatTable(
  rows: Record<string, unknown>[],
  columns?: string[],
  options: { exact?: boolean } = {},
): string {
  if (rows.length === 0) return "(no rows)";
  const keys = columns ?? Object.keys(rows[0]!);
  const cells = rows.map((r) => keys.map((k) => (options.exact ? exactCell(r[k]) : formatCell(r[k]))));
  const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(keys), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function exactCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
