// Decoding the site's data files and summing the daily reporting tables over any date range.
import { shiftDate } from "./controls.js";

/** Rows from a columnar table (site-data/columnar.ts). */
export function decode(table) {
  const names = Object.keys(table.columns);
  const columns = names.map((n) => {
    const c = table.columns[n];
    return Array.isArray(c) ? c : c.indices.map((i) => c.dictionary[i]);
  });
  return Array.from({ length: table.length }, (_, i) => Object.fromEntries(names.map((n, j) => [n, columns[j][i]])));
}

/** Rows of one category (or "All") whose `date` lies in the range, with a Date for charts. */
export function inRange(rows, { from, to }, category) {
  return rows
    .filter((r) => (category == null || r.category === category) && r.date >= from && r.date <= to)
    .map((r) => ({ ...r, day: new Date(r.date) }));
}

export function sum(rows, key) {
  return rows.reduce((total, r) => total + (Number(r[key]) || 0), 0);
}

/** Sum `keys` of rows grouped by `by`. */
export function rollup(rows, by, keys) {
  const groups = new Map();
  for (const r of rows) {
    const g =
      groups.get(r[by]) ??
      groups.set(r[by], { [by]: r[by], ...Object.fromEntries(keys.map((k) => [k, 0])) }).get(r[by]);
    for (const k of keys) g[k] += Number(r[k]) || 0;
  }
  return [...groups.values()];
}

/** Trailing moving average over `window` points. */
export function movingAverage(rows, key, window = 7) {
  return rows.map((r, i) => {
    const slice = rows.slice(Math.max(0, i - window + 1), i + 1);
    return { ...r, [`${key}_ma`]: sum(slice, key) / slice.length };
  });
}

/** The totals of a range from the daily table (revenue, orders and units add up over days; customers do not). */
function totalsOf(rows) {
  const revenue_usd = sum(rows, "revenue_usd");
  const completed = sum(rows, "completed_orders");
  return {
    revenue_usd,
    orders: sum(rows, "orders"),
    completed_orders: completed,
    aov_usd: completed ? revenue_usd / completed : null,
  };
}

/**
 * KPIs of a range and category, with the previous period of the same length when the data covers it. Presets read
 * rpt_kpis_by_period (exact distinct customers); a custom range sums rpt_daily_sales_by_category, and distinct
 * customers are not shown for it (per-day distinct counts do not add up over days).
 */
export function kpisFor({ rows, kpis, firstDay }, range, category) {
  if (range.key !== "custom") {
    const pick = (comparison) =>
      kpis.find((r) => r.period_key === range.key && r.category === category && r.comparison === comparison);
    return { current: pick("current") ?? null, previous: pick("previous") ?? null, customersKnown: true };
  }
  const current = totalsOf(inRange(rows, range, category));
  const start = shiftDate(range.from, -range.days);
  const previous =
    start >= firstDay ? totalsOf(inRange(rows, { from: start, to: shiftDate(range.from, -1) }, category)) : null;
  return {
    current: { ...current, customers: null },
    previous: previous && { ...previous, customers: null },
    customersKnown: false,
  };
}

/** Rows of a per-preset table (top products, top customers) for the range, or null for a custom range. */
export function forPreset(rows, range, category) {
  return range.key === "custom" ? null : rows.filter((r) => r.period_key === range.key && r.category === category);
}
