// The date-range and category controls shared by the dashboards. Both are kept in the URL query.
import * as Inputs from "@observablehq/inputs";
import { readParam, writeParams } from "./url-state.js";

/** Short URL names of the presets (int_reporting_periods.period_key). */
const presetParams = {
  last_7_days: "7d",
  last_30_days: "30d",
  last_90_days: "90d",
  year_to_date: "ytd",
  all_time: "all",
};
const presetKeys = Object.fromEntries(Object.entries(presetParams).map(([k, v]) => [v, k]));
const DAY = 864e5;
const clamp = (d, lo, hi) => (d < lo ? lo : d > hi ? hi : d);
const validDate = (s) => typeof s === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));
export const daysBetween = (from, to) => Math.round((Date.parse(to) - Date.parse(from)) / DAY) + 1;
export const shiftDate = (date, days) => new Date(Date.parse(date) + days * DAY).toISOString().slice(0, 10);

/** The range from the URL (or the default preset), bounded by the data's first and last days. */
function initialRange({ periods, firstDay, asOf }, defaultKey) {
  const from = readParam("from");
  const to = readParam("to");
  if (validDate(from) && validDate(to)) return customRange({ firstDay, asOf }, from, to);
  const key = presetKeys[readParam("range")] ?? defaultKey;
  return presetRange(periods.find((p) => p.key === key) ?? periods[0]);
}

function presetRange(period) {
  return {
    key: period.key,
    label: period.label,
    from: period.start,
    to: period.end,
    days: daysBetween(period.start, period.end),
  };
}

function customRange({ firstDay, asOf }, from, to) {
  if (from > to) [from, to] = [to, from];
  // A range wholly outside the data is kept as asked: the pages say "No data for this range" instead of
  // showing the nearest day's numbers under a link that asked for other days.
  if (to < firstDay || from > asOf)
    return { key: "custom", label: `${from} to ${to}`, from, to, days: daysBetween(from, to) };
  const [a, b] = [clamp(from, firstDay, asOf), clamp(to, firstDay, asOf)];
  return { key: "custom", label: `${a} to ${b}`, from: a, to: b, days: daysBetween(a, b) };
}

/**
 * Date range: presets (7/30/90 days, year to date, all time) and a custom from/to, bounded by the data.
 * Its value is {key, label, from, to, days}; the URL holds ?range=30d, or ?from=...&to=... for a custom range.
 */
export function rangeInput(bounds, defaultKey = "last_30_days") {
  const { periods, firstDay, asOf } = bounds;
  const form = document.createElement("form");
  form.className = "range-input";
  form.onsubmit = (event) => event.preventDefault();
  const preset = Inputs.select(new Map([...periods.map((p) => [p.label, p.key]), ["Custom range", "custom"]]), {
    label: "Date range",
  });
  const fromInput = Object.assign(document.createElement("input"), {
    type: "date",
    min: firstDay,
    max: asOf,
    name: "from",
  });
  const toInput = Object.assign(document.createElement("input"), {
    type: "date",
    min: firstDay,
    max: asOf,
    name: "to",
  });
  const dates = document.createElement("span");
  dates.className = "range-dates";
  dates.append(labelled("From", fromInput), labelled("To", toInput));
  form.append(preset, dates);
  const show = (range) => {
    form.value = range;
    preset.value = range.key;
    fromInput.value = range.from;
    toInput.value = range.to;
  };
  show(initialRange(bounds, defaultKey));
  const commit = (range) => {
    show(range);
    writeParams(
      range.key === "custom"
        ? { range: null, from: range.from, to: range.to }
        : { range: presetParams[range.key], from: null, to: null },
    );
    form.dispatchEvent(new Event("input", { bubbles: true }));
  };
  preset.addEventListener("input", (event) => {
    event.stopPropagation();
    const period = periods.find((p) => p.key === preset.value);
    commit(period ? presetRange(period) : customRange(bounds, form.value.from, form.value.to));
  });
  for (const input of [fromInput, toInput]) {
    input.addEventListener("input", (event) => event.stopPropagation());
    input.addEventListener("change", () => {
      if (validDate(fromInput.value) && validDate(toInput.value))
        commit(customRange(bounds, fromInput.value, toInput.value));
    });
  }
  return form;
}

function labelled(text, input) {
  const label = document.createElement("label");
  label.append(`${text} `, input);
  return label;
}

/** Category: All or one category, kept in ?category=. */
export function categoryInput(categories) {
  const fromUrl = readParam("category");
  const input = Inputs.select(["All", ...categories], {
    label: "Category",
    value: categories.includes(fromUrl) ? fromUrl : "All",
  });
  input.addEventListener("input", () => writeParams({ category: input.value === "All" ? null : input.value }));
  return input;
}
