// Number formats and KPI cards shared by the dashboards: a true minus sign before the $, ids without separators.
const MINUS = "\u2212";
const usd0 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const usd2 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2 });
const usdCompact = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  maximumFractionDigits: 1,
});
const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const missing = (v) => v == null || (typeof v === "number" && !Number.isFinite(v));
const signed = (v, f) => (v < 0 ? MINUS + f.format(-v) : f.format(v));

/** $1,235 or −$1,235 (whole dollars). */
export const money = (v) => (missing(v) ? "–" : signed(v, usd0));
/** $1,234.56 or −$1,234.56. */
export const money2 = (v) => (missing(v) ? "–" : signed(v, usd2));
/** Axis ticks: $1.2K, −$3M. */
export const moneyTick = (v) => (missing(v) ? "" : signed(v, usdCompact));
export const int = (v) => (missing(v) ? "–" : signed(v, integer));
/** Order, product and customer ids: never with thousands separators. */
export const id = (v) => (v == null ? "–" : String(v));
export const pct = (v, digits = 1) => (missing(v) ? "–" : `${v < 0 ? MINUS : ""}${Math.abs(v * 100).toFixed(digits)}%`);
export const fixed = (digits) => (v) => (missing(v) ? "–" : `${v < 0 ? MINUS : ""}${Math.abs(v).toFixed(digits)}`);

export const NO_DATA = "No data for this range";

/** "+12.3% vs previous 30 days", or why there is no comparison. */
export function change(current, previous, label) {
  if (previous == null || previous === 0 || current == null) return { text: `no ${label} to compare`, sign: 0 };
  const delta = (current - previous) / previous;
  return {
    text: `${delta >= 0 ? "+" : MINUS}${Math.abs(delta * 100).toFixed(1)}% vs ${label}`,
    sign: Math.sign(delta),
  };
}

/** A KPI card; data-kpi and data-value let tests read the exact figure shown. `empty` shows "No data for this range". */
export function kpiCard({ id, label, value, format = int, delta, empty = false, note }) {
  const card = document.createElement("div");
  card.className = "card kpi";
  card.dataset.kpi = id;
  card.dataset.value = empty ? "" : String(value ?? "");
  const title = document.createElement("h2");
  title.textContent = label;
  const big = document.createElement("span");
  big.className = empty ? "big value no-data" : "big value";
  big.textContent = empty ? NO_DATA : format(value);
  card.append(title, big);
  const small = document.createElement("div");
  if (!empty && delta) {
    small.className = `delta ${delta.sign > 0 ? "up" : delta.sign < 0 ? "down" : ""}`;
    small.textContent = delta.text;
    card.append(small);
  } else if (note) {
    small.className = "delta";
    small.textContent = note;
    card.append(small);
  }
  return card;
}

export function kpiGrid(cards) {
  const grid = document.createElement("div");
  grid.className = "grid grid-cols-4";
  grid.append(...cards);
  return grid;
}

/** The "No data for this range" placeholder used instead of an empty chart or table. */
export function noData(text = NO_DATA) {
  const p = document.createElement("p");
  p.className = "no-data muted";
  p.textContent = text;
  return p;
}
