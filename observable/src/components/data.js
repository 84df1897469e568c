// Loading helpers: Arrow IPC from the loaders via apache-arrow (bundled from node_modules, no CDN).
import { tableFromIPC } from "apache-arrow";

export function arrowRows(buffer) {
  return tableFromIPC(new Uint8Array(buffer))
    .toArray()
    .map((row) => row.toJSON());
}

/** Daily rows with a Date, for the selected category and the last `days` days up to as-of. */
export function dailyFor(rows, { category, days, asOf }) {
  const end = Date.parse(asOf);
  const start = end - (days - 1) * 864e5;
  return rows
    .filter((r) => r.category === category)
    .map((r) => ({ ...r, date: new Date(r.order_date) }))
    .filter((r) => +r.date >= start && +r.date <= end)
    .sort((a, b) => a.date - b.date);
}

export function categoriesOf(rows) {
  return [...new Set(rows.map((r) => r.category).filter((c) => c !== "All"))].sort();
}

export function sum(rows, key) {
  return rows.reduce((total, r) => total + (Number(r[key]) || 0), 0);
}

/** Trailing moving average over `window` points. */
export function movingAverage(rows, key, window = 7) {
  return rows.map((r, i) => {
    const slice = rows.slice(Math.max(0, i - window + 1), i + 1);
    return { ...r, [`${key}_ma`]: sum(slice, key) / slice.length };
  });
}
