// Number formats and KPI cards shared by the dashboards.
export const money = (v) => (v == null || Number.isNaN(v) ? "–" : `$${Math.round(v).toLocaleString("en-US")}`);
export const money2 = (v) =>
  v == null || Number.isNaN(v)
    ? "–"
    : `$${v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const int = (v) => (v == null ? "–" : Math.round(v).toLocaleString("en-US"));
export const pct = (v, digits = 1) => (v == null || !Number.isFinite(v) ? "–" : `${(v * 100).toFixed(digits)}%`);

/** "+12.3% vs previous 30 days", or why there is no comparison. */
export function change(current, previous, label) {
  if (previous == null || previous === 0) return { text: `no ${label} to compare`, sign: 0 };
  const delta = (current - previous) / previous;
  return { text: `${delta >= 0 ? "+" : ""}${(delta * 100).toFixed(1)}% vs ${label}`, sign: Math.sign(delta) };
}

/** A KPI card; data-kpi and data-value let tests read the exact figure shown. */
export function kpiCard({ id, label, value, format = int, delta }) {
  const card = document.createElement("div");
  card.className = "card kpi";
  card.dataset.kpi = id;
  card.dataset.value = String(value ?? "");
  const title = document.createElement("h2");
  title.textContent = label;
  const big = document.createElement("span");
  big.className = "big value";
  big.textContent = format(value);
  card.append(title, big);
  if (delta) {
    const small = document.createElement("div");
    small.className = `delta ${delta.sign > 0 ? "up" : delta.sign < 0 ? "down" : ""}`;
    small.textContent = delta.text;
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
