// Tables with a "Download CSV" button that exports exactly the rows and columns shown.
import * as Inputs from "@observablehq/inputs";
import { noData } from "./format.js";

const cell = (v) => {
  const s = v == null ? "" : v instanceof Date ? v.toISOString() : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** CSV text of `rows` for `columns` (header: the table's column titles). */
export function toCsv(rows, columns, header = {}) {
  const lines = [columns.map((c) => cell(header[c] ?? c)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}

/** Download `text` as a file (a blob URL: no request leaves the page). */
export function download(text, filename) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Inputs.table plus a "Download CSV" button. The CSV holds the rows given (in the table's current sort order)
 * and the columns shown, with raw values (no thousands separators, no currency signs).
 */
export function csvTable(rows, { name, columns, header = {}, empty, ...options }) {
  const wrapper = document.createElement("div");
  wrapper.className = "csv-table";
  wrapper.dataset.table = name;
  if (!rows.length) {
    wrapper.append(noData(empty));
    return wrapper;
  }
  const cols = columns ?? Object.keys(rows[0]);
  const table = Inputs.table(rows, { columns: cols, header, ...options });
  const button = Object.assign(document.createElement("button"), {
    type: "button",
    textContent: "Download CSV",
    className: "csv-download",
  });
  button.onclick = () => {
    const sorted = sortedRows(table, rows);
    download(toCsv(sorted, cols, header), `${name}.csv`);
  };
  const bar = document.createElement("div");
  bar.className = "csv-bar";
  bar.append(button);
  wrapper.append(bar, table);
  return wrapper;
}

/** The rows in the order the table shows them (Inputs.table marks the sorted header with ▴ or ▾). */
function sortedRows(table, rows) {
  const th = [...table.querySelectorAll("thead th[title]")].find((t) =>
    /[▴▾]/.test(t.querySelector("span")?.textContent ?? ""),
  );
  if (!th) return rows;
  const column = th.title;
  const dir = th.querySelector("span").textContent === "▾" ? -1 : 1;
  const rank = (v) => (v == null || Number.isNaN(v) ? 1 : 0);
  return [...rows].sort(
    (a, b) => rank(a[column]) - rank(b[column]) || (a[column] < b[column] ? -dir : a[column] > b[column] ? dir : 0),
  );
}
